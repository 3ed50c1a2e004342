"""Database constraints and pure rules of buddy pairings."""

import datetime

import pytest

from buddies.models import BuddyPairing
from tests.factories import refused
from tests.factories.buddies import BuddyPairingFactory
from tests.factories.skills import EmployeeFactory

D = datetime.date
ALLOWED, REFUSED = True, False


@pytest.mark.django_db
def test_pairing_defaults_to_a_front_office_seeker_and_a_back_office_buddy():
    pairing = BuddyPairingFactory()
    assert (pairing.seeker.department.side, pairing.buddy.department.side) == ("front", "back")
    assert pairing.seeker.is_active_on(pairing.started_on)
    assert pairing.buddy.is_active_on(pairing.started_on)


@pytest.mark.django_db
def test_pairing_is_not_with_oneself():
    employee = EmployeeFactory()
    with refused(BuddyPairing, "pairing_not_with_self"):
        BuddyPairingFactory(seeker=employee, buddy=employee)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ended_on", "allowed"),
    [
        pytest.param(None, ALLOWED, id="open"),
        pytest.param(D(2025, 6, 2), ALLOWED, id="ends the day after it starts"),
        pytest.param(D(2025, 6, 1), REFUSED, id="ends the day it starts"),
        pytest.param(D(2025, 5, 31), REFUSED, id="ends before it starts"),
    ],
)
def test_pairing_ends_after_it_starts(ended_on, allowed):
    make = lambda: BuddyPairingFactory(started_on=D(2025, 6, 1), ended_on=ended_on)  # noqa: E731
    if allowed:
        assert make().ended_on == ended_on
    else:
        with refused(BuddyPairing, "pairing_ends_after_start"):
            make()


@pytest.mark.django_db
def test_pairing_natural_key_is_unique():
    first = BuddyPairingFactory(started_on=D(2025, 6, 1), ended=True)
    with refused(BuddyPairing, "pairing_natural_key"):
        BuddyPairingFactory(
            seeker=first.seeker, buddy=first.buddy, started_on=first.started_on, ended=True
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first_ended_on", "allowed"),
    [
        pytest.param(None, REFUSED, id="second open pairing while the first is open"),
        pytest.param(D(2025, 9, 1), ALLOWED, id="new open pairing after the first ended"),
    ],
)
def test_pairing_is_one_open_per_seeker(first_ended_on, allowed):
    first = BuddyPairingFactory(started_on=D(2025, 6, 1), ended_on=first_ended_on)
    make = lambda: BuddyPairingFactory(seeker=first.seeker, started_on=D(2025, 9, 1))  # noqa: E731
    if allowed:
        assert make().seeker == first.seeker
    else:
        with refused(BuddyPairing, "pairing_one_open_per_seeker"):
            make()


@pytest.mark.django_db
def test_pairing_buddy_may_have_several_open_pairings():
    buddy = EmployeeFactory(back=True)
    pairings = BuddyPairingFactory.create_batch(3, buddy=buddy)
    assert BuddyPairing.objects.filter(buddy=buddy, ended_on=None).count() == len(pairings)


@pytest.mark.parametrize(
    ("started_on", "ended_on", "day", "active"),
    [
        pytest.param(D(2026, 3, 2), None, D(2026, 3, 1), False, id="day before the start"),
        pytest.param(D(2026, 3, 2), None, D(2026, 3, 2), True, id="on the start date"),
        pytest.param(D(2026, 3, 2), None, D(2030, 1, 1), True, id="open: years later"),
        pytest.param(D(2026, 3, 2), D(2026, 6, 1), D(2026, 5, 31), True, id="day before the end"),
        pytest.param(D(2026, 3, 2), D(2026, 6, 1), D(2026, 6, 1), False, id="on the end date"),
        pytest.param(D(2026, 3, 2), D(2026, 6, 1), D(2026, 7, 1), False, id="after the end"),
    ],
)
def test_pairing_is_active_on(started_on, ended_on, day, active):
    pairing = BuddyPairing(started_on=started_on, ended_on=ended_on)
    assert pairing.is_active_on(day) is active
