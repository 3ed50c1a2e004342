"""Pure checks of people and sign-offs, in the words every entry point shows."""

import datetime

import pytest

from skills import rules

D = datetime.date


@pytest.mark.parametrize(
    ("hire", "termination", "day", "problem"),
    [
        (D(2026, 1, 5), None, D(2026, 1, 5), None),
        (D(2026, 1, 5), None, D(2026, 1, 4), "E1 was hired on 2026-01-05, after 2026-01-04"),
        (D(2025, 1, 5), D(2026, 3, 1), D(2026, 2, 28), None),
        (
            D(2025, 1, 5),
            D(2026, 3, 1),
            D(2026, 3, 1),
            "E1 left on 2026-03-01, on or before 2026-03-01",
        ),
    ],
)
def test_check_active_on_the_date(hire, termination, day, problem):
    assert rules.check_active("E1", hire, termination, day) == problem
    assert rules.is_active_on(hire, termination, day) is (problem is None)


@pytest.mark.parametrize(("level", "ok"), [(0, False), (1, True), (4, True), (5, False)])
def test_check_level_1_to_4(level, ok):
    assert (rules.check_level(level) is None) is ok


def test_check_assessor_is_never_the_employee():
    assert rules.check_assessor("E1", "E2") is None
    assert rules.check_assessor("E1", "E1") == "E1 cannot sign off their own skill"


def test_check_not_future():
    today = D(2026, 11, 23)
    assert rules.check_not_future(today, today) is None
    assert rules.check_not_future(D(2026, 11, 24), today) == "2026-11-24 is in the future"
