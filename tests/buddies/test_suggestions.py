"""Who the suggestions consider on a day, read from the records, and the suggest_buddies
command's output."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from buddies.suggestions import Options, candidates, suggestion
from tests.buddies.conftest import DAY
from tests.factories.buddies import (
    BuddyExclusionFactory,
    BuddyPairingFactory,
    BuddyUnavailabilityFactory,
)
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db


def options(**given):
    return Options.from_settings(DAY, **given)


def test_seekers_are_front_office_people_without_an_active_pairing(org):
    BuddyPairingFactory(seeker=org["cat"], buddy=org["vic"], started_on=DAY)
    EmployeeFactory(employee_number="E4", department=org["ann"].department, terminated=True)
    found = candidates(options())
    assert [s.number for s in found.seekers] == ["E1", "E2"]
    assert {(b.number, b.tier, b.active) for b in found.buddies} == {("E90", 2, 1), ("E91", 1, 0)}


def test_buddies_below_the_minimum_tier_away_or_full_are_left_out(org):
    assert [b.number for b in candidates(options(min_buddy_tier=2)).buddies] == ["E90"]
    BuddyUnavailabilityFactory(
        buddy=org["vic"], starts_on=DAY, ends_on=DAY + datetime.timedelta(days=5)
    )
    assert [b.number for b in candidates(options()).buddies] == ["E91"]
    BuddyPairingFactory(seeker=org["cat"], buddy=org["wes"], started_on=DAY)
    assert candidates(options(capacity=1)).buddies == []


def test_the_suggestion_prefers_the_same_site_and_shift_and_respects_exclusions(org):
    pairs = {(p.seeker.number, p.buddy.number) for p in suggestion(options()).pairs}
    assert pairs == {("E1", "E90"), ("E2", "E91"), ("E3", "E90")}
    BuddyExclusionFactory(one=org["vic"], other=org["ann"])
    pairs = {(p.seeker.number, p.buddy.number) for p in suggestion(options()).pairs}
    assert ("E1", "E90") not in pairs and ("E1", "E91") in pairs


def test_rotation_suggests_someone_new_for_old_pairings(org):
    BuddyPairingFactory(
        seeker=org["ann"], buddy=org["vic"], started_on=DAY - datetime.timedelta(days=200)
    )
    found = candidates(options(rotate_older_than=180))
    assert "E1" in [s.number for s in found.seekers] and ("E1", "E90") in found.paired_before
    assert {b.number: b.active for b in found.buddies}["E90"] == 0, "the old place is freed"
    assert "E1" not in [s.number for s in candidates(options()).seekers]


def run(*args) -> str:
    out = io.StringIO()
    call_command("suggest_buddies", "--as-of", DAY.isoformat(), *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_documented_json(org):
    printed = json.loads(run("--json", "--capacity", "1"))
    assert printed["as_of"] == "2026-07-06"
    assert [p["seeker"] for p in printed["pairs"]] == sorted(p["seeker"] for p in printed["pairs"])
    first = printed["pairs"][0]
    assert set(first) == {"seeker", "buddy", "cost", "reasons"}
    assert set(first["reasons"]) == {"site", "shift", "paired_before", "tier", "load"}
    assert first["cost"] == sum(first["reasons"].values())
    assert printed["total_cost"] == sum(p["cost"] for p in printed["pairs"])
    assert printed["unpaired_seekers"] == ["E3"]


def test_the_command_prints_a_table_by_default(org):
    text = run("--department", "CC")
    assert text.splitlines()[1].split() == [
        "seeker",
        "buddy",
        "cost",
        "site",
        "shift",
        "before",
        "tier",
        "load",
    ]
    assert "3 pairs, total cost" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--department", "XX"), "no department has the code XX"),
        (("--department", "BO"), "BO is a back-office department"),
    ],
)
def test_the_command_refuses_a_department_it_cannot_use(org, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_the_command_refuses_a_capacity_below_one(org):
    with pytest.raises(CommandError, match="not a whole number of at least 1"):
        run("--capacity", "0")
