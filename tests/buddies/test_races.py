"""Two managers accepting buddy suggestions at the same moment (PostgreSQL row locks)."""

import pytest
from django.db import connection

from buddies import services
from buddies.models import BuddyPairing
from buddies.suggestions import Options
from tests.buddies.conftest import DAY
from tests.concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def accepting(choices_by_turn, **given):
    turns = iter(choices_by_turn)
    options = Options.from_settings(DAY, **given)
    return at_once(
        lambda: services.accept(next(turns), options=options, user=None),
        times=len(choices_by_turn),
    )


def test_two_managers_cannot_give_one_seeker_two_buddies(org):
    outcomes = accepting([[("E1", "E90")], [("E1", "E91")]])
    created = [len(value.created) for kind, value in outcomes if kind == "ok"]
    assert sorted(created) == [0, 1]
    assert BuddyPairing.objects.filter(seeker=org["ann"]).count() == 1


def test_two_managers_cannot_overfill_a_buddy(org):
    outcomes = accepting([[("E1", "E90")], [("E2", "E90")], [("E3", "E90")]], capacity=2)
    assert sorted(len(value.created) for _, value in outcomes) == [0, 1, 1]
    assert BuddyPairing.objects.filter(buddy=org["vic"]).count() == 2
