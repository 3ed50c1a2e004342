"""Pure checks of sessions, attendance and module results (DOMAIN.md "Training")."""

from decimal import Decimal

import pytest

from training import rules


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("0.25", True),
        ("12", True),
        ("1.5", True),
        ("0", False),
        ("-1", False),
        ("0.3", False),
        ("12.25", False),
        ("0.10", False),
    ],
)
def test_check_duration_quarter_hours_up_to_12(value, ok):
    assert (rules.check_duration(Decimal(value)) is None) is ok


@pytest.mark.parametrize(
    ("hours", "duration", "problem"),
    [
        ("2", "2", None),
        ("0.75", "2", None),
        ("2.25", "2", "2.25 hours is more than the session's 2 hours"),
        ("0.2", "2", "hours must be a multiple of 0.25 above 0, not 0.2"),
        ("0", "2", "hours must be a multiple of 0.25 above 0, not 0"),
    ],
)
def test_check_attendance_hours_never_above_the_duration(hours, duration, problem):
    assert rules.check_attendance_hours(Decimal(hours), Decimal(duration)) == problem


def test_trainer_is_not_an_attendee_of_their_own_session():
    assert rules.check_trainer_not_attending("E1", "E2") is None
    assert rules.check_trainer_not_attending("E1", "E1") == (
        "the trainer E1 cannot attend their own session"
    )


def test_repeated_attendees_lists_each_repeat_once():
    assert rules.repeated_attendees(["E1", "E2", "E1", "E3", "E1", "E2"]) == ["E1", "E2"]


@pytest.mark.parametrize(("score", "ok"), [(-1, False), (0, True), (100, True), (101, False)])
def test_check_score_0_to_100(score, ok):
    assert (rules.check_score(score) is None) is ok


@pytest.mark.parametrize(
    ("score", "mark", "passed"), [(80, 80, True), (79, 80, False), (0, 0, True)]
)
def test_passes_when_score_reaches_the_pass_mark(score, mark, passed):
    assert rules.passes(score, mark) is passed
