"""Pure rules of recording sessions and reviewing modules (DOMAIN.md "Training")."""

import datetime

import pytest

from skills.rules import add_months
from training import rules

D = datetime.date


@pytest.mark.parametrize(
    ("taken", "expected"),
    [
        ([], "S-20260302-001"),
        (["S-20260302-001", "S-20260302-002"], "S-20260302-003"),
        (["S-20260302-009", "S-20260302-003"], "S-20260302-010"),
        (["S-20260301-007", "TS-20260302-01", "S-20260302-extra"], "S-20260302-001"),
    ],
)
def test_generated_reference_is_the_next_number_of_the_day(taken, expected):
    assert rules.next_session_ref(D(2026, 3, 2), taken) == expected


@pytest.mark.parametrize(
    ("ref", "ok"),
    [
        ("S-20260302-001", True),
        ("TS-2026.03_A", True),
        ("", False),
        ("new", False),
        ("NEW", False),
        ("a/b", False),
        ("with space", False),
        ("Ünïcode", False),
    ],
)
def test_a_typed_reference_fits_in_a_web_address(ref, ok):
    assert (rules.check_session_ref(ref) is None) is ok


def _due(last: datetime.date, today: datetime.date) -> bool:
    return add_months(last, 18) <= today


@pytest.mark.parametrize(
    "today",
    [
        D(2026, 8, 31),
        D(2026, 8, 30),
        D(2026, 2, 28),
        D(2028, 2, 29),
        D(2026, 3, 1),
        D(2026, 12, 31),
    ],
)
def test_review_due_cutoff_agrees_with_last_review_plus_18_months(today):
    cutoff = rules.review_due_cutoff(today, 18)
    for offset in range(-40, 40):
        last = cutoff + datetime.timedelta(days=offset)
        assert _due(last, today) is (last <= cutoff), (today, last)


@pytest.mark.parametrize(
    ("day", "last", "problem"),
    [
        (D(2026, 3, 1), D(2025, 1, 1), None),
        (D(2025, 1, 1), D(2025, 1, 1), None),
        (D(2024, 12, 31), D(2025, 1, 1), "2024-12-31 is before the last review on 2025-01-01"),
        (D(2026, 3, 2), D(2025, 1, 1), "2026-03-02 is in the future"),
    ],
)
def test_review_date_between_last_review_and_today(day, last, problem):
    assert rules.check_review_date(day, last, D(2026, 3, 1)) == problem


def test_new_hire_deadline_is_hire_date_plus_the_module_days():
    assert rules.new_hire_deadline(D(2026, 1, 15), 30) == D(2026, 2, 14)
