"""Accepting buddy suggestions, ending pairings, exclusions, and pairings of people who leave."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from buddies import services
from buddies.models import BuddyExclusion, BuddyPairing
from buddies.suggestions import Options
from tests.buddies.conftest import DAY
from tests.factories.buddies import (
    BuddyExclusionFactory,
    BuddyPairingFactory,
    BuddyUnavailabilityFactory,
)

pytestmark = pytest.mark.django_db


def accept(choices, **given):
    return services.accept(choices, options=Options.from_settings(DAY, **given), user=None)


def test_accepting_records_each_pairing_with_its_reasons(org):
    done = accept([("E1", "E90"), ("E2", "E91")], suggested=None)
    assert done.refused == []
    pairing = BuddyPairing.objects.get(seeker=org["ann"])
    assert (pairing.buddy, pairing.started_on) == (org["vic"], DAY)
    assert pairing.reasons == {
        "site": 0,
        "shift": 0,
        "paired_before": 0,
        "tier": 2,
        "load": 0,
        "total": 2,
    }
    assert pairing.note == services.CHOSEN  # no suggestion was given for it


def test_every_choice_is_checked_again_and_refused_in_words(org):
    BuddyPairingFactory(seeker=org["cat"], buddy=org["wes"], started_on=DAY)
    BuddyUnavailabilityFactory(buddy=org["vic"], starts_on=DAY, ends_on=DAY)
    done = accept([("E3", "E91"), ("E1", "E90"), ("E90", "E1"), ("E2", "E91")], capacity=1)
    reasons = dict(done.refused)
    assert reasons["E3"].startswith("E3 already has a go-to buddy (E91")
    assert reasons["E1"] == f"E90 is away on {DAY} (Annual leave)"
    assert reasons["E90"] == f"E90 is not an active front-office employee on {DAY}"
    assert reasons["E2"] == "E91 already has 1 pairings, the most a buddy may have"
    assert done.created == []


def test_an_excluded_pair_or_a_buddy_below_the_tier_is_refused(org):
    BuddyExclusionFactory(one=org["ann"], other=org["vic"], reason="Same household.")
    done = accept([("E1", "E90"), ("E2", "E91")], min_buddy_tier=2)
    assert dict(done.refused) == {
        "E1": "E1 and E90 must not be paired: Same household.",
        "E2": f"E91's eligible tier on {DAY} is 1, below the minimum of 2",
    }


def test_one_acceptance_cannot_overfill_a_buddy_or_pair_a_seeker_twice(org):
    done = accept([("E1", "E90"), ("E2", "E90"), ("E1", "E91")], capacity=1)
    assert [p.seeker.employee_number for p in done.created] == ["E1"]
    assert [s for s, _ in done.refused] == ["E2", "E1"]


def test_rotation_ends_the_old_pairing_and_starts_the_new_one(org):
    old = BuddyPairingFactory(
        seeker=org["ann"], buddy=org["vic"], started_on=DAY - datetime.timedelta(days=400)
    )
    assert accept([("E1", "E91")]).refused[0][1].startswith("E1 already has a go-to buddy")
    done = accept([("E1", "E91")], rotate_older_than=365)
    old.refresh_from_db()
    assert (old.ended_on, old.note) == (DAY, services.ROTATED)
    assert done.created[0].buddy == org["wes"]


def test_ending_a_pairing_needs_a_reason_and_a_later_day(org):
    pairing = BuddyPairingFactory(seeker=org["ann"], buddy=org["vic"], started_on=DAY)
    with pytest.raises(ValidationError) as refused:
        services.pairing_end(pairing=pairing, ended_on=DAY, reason=" ", user=None)
    assert set(refused.value.message_dict) == {"reason", "ended_on"}
    later = DAY + datetime.timedelta(days=30)
    services.pairing_end(pairing=pairing, ended_on=later, reason="Moved team.", user=None)
    pairing.refresh_from_db()
    assert (pairing.ended_on, pairing.note) == (later, "Moved team.")


def test_an_exclusion_is_recorded_once_whichever_way_round(org):
    services.exclusion_create(one=org["vic"], other=org["ann"], reason="Related.", user=None)
    with pytest.raises(ValidationError, match="already excluded"):
        services.exclusion_create(one=org["ann"], other=org["vic"], reason="Again.", user=None)
    assert BuddyExclusion.objects.count() == 1


def test_a_leaver_s_pairing_ends_on_their_last_day_when_the_termination_is_saved(org):
    pairing = BuddyPairingFactory(seeker=org["ann"], buddy=org["vic"], started_on=DAY)
    org["vic"].termination_date = DAY + datetime.timedelta(days=20)
    org["vic"].save()
    pairing.refresh_from_db()
    assert pairing.ended_on == DAY + datetime.timedelta(days=20)
    assert "E90 left" in pairing.note
