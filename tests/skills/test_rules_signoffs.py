"""Pure checks of recording and revoking sign-offs (DOMAIN.md "Skills and sign-offs")."""

import datetime

import pytest

from skills import rules
from skills.rules import SignoffSpan

D = datetime.date


@pytest.mark.parametrize(
    ("is_trainer", "level", "problem"),
    [
        (True, 0, None),
        (False, 4, None),
        (True, 4, None),
        (
            False,
            3,
            "E2 cannot assess BILL-DISPUTE: an assessor needs the trainer role or level 4 on it "
            "(level 3 on 2026-03-02)",
        ),
        (
            False,
            0,
            "E2 cannot assess BILL-DISPUTE: an assessor needs the trainer role or level 4 on it "
            "(level 0 on 2026-03-02)",
        ),
    ],
)
def test_assessor_holds_the_trainer_role_or_level_4(is_trainer, level, problem):
    assert (
        rules.check_assessor_qualified(
            "E2", "BILL-DISPUTE", is_trainer=is_trainer, level=level, day=D(2026, 3, 2)
        )
        == problem
    )


@pytest.mark.parametrize(
    ("span", "day", "valid"),
    [
        (SignoffSpan(3, D(2026, 1, 31), D(2026, 2, 28), None), D(2026, 1, 31), True),
        (SignoffSpan(3, D(2026, 1, 31), D(2026, 2, 28), None), D(2026, 1, 30), False),
        (SignoffSpan(3, D(2026, 1, 31), D(2026, 2, 28), None), D(2026, 2, 27), True),
        (SignoffSpan(3, D(2026, 1, 31), D(2026, 2, 28), None), D(2026, 2, 28), False),
        (SignoffSpan(3, D(2026, 1, 31), None, D(2026, 3, 1)), D(2026, 2, 28), True),
        (SignoffSpan(3, D(2026, 1, 31), None, D(2026, 3, 1)), D(2026, 3, 1), False),
    ],
)
def test_a_signoff_is_valid_from_assessment_until_expiry_or_revocation(span, day, valid):
    assert rules.span_valid_on(span, day) is valid


def test_level_on_a_day_is_the_highest_valid_level_else_0():
    spans = [
        SignoffSpan(2, D(2025, 1, 1), None, None),
        SignoffSpan(4, D(2025, 6, 1), D(2026, 6, 1), None),
        SignoffSpan(3, D(2026, 1, 1), None, D(2026, 2, 1)),
    ]
    assert rules.level_on(spans, D(2024, 12, 31)) == 0
    assert rules.level_on(spans, D(2025, 3, 1)) == 2
    assert rules.level_on(spans, D(2026, 1, 15)) == 4
    assert rules.level_on(spans, D(2026, 6, 1)) == 2
    assert rules.level_on([], D(2026, 6, 1)) == 0


@pytest.mark.parametrize(
    ("span", "status"),
    [
        (SignoffSpan(3, D(2026, 1, 1), None, None), "VALID"),
        (SignoffSpan(3, D(2026, 1, 1), D(2026, 3, 1), None), "EXPIRED"),
        (SignoffSpan(3, D(2026, 1, 1), D(2026, 4, 30), None), "EXPIRING"),
        (SignoffSpan(3, D(2026, 1, 1), D(2026, 5, 2), None), "VALID"),
        (SignoffSpan(3, D(2026, 1, 1), None, D(2026, 2, 1)), "REVOKED"),
        (SignoffSpan(3, D(2026, 1, 1), None, D(2026, 4, 2)), "VALID"),
        (SignoffSpan(3, D(2026, 4, 2), None, None), "PENDING"),
    ],
)
def test_signoff_status_on_1_april_with_30_days_warning(span, status):
    assert rules.signoff_status(span, D(2026, 4, 1), 30) == status


@pytest.mark.parametrize(
    ("assessed", "revoked", "already", "problem"),
    [
        (D(2026, 1, 5), D(2026, 1, 5), None, None),
        (D(2026, 1, 5), D(2026, 1, 4), None, "2026-01-04 is before the sign-off's date 2026-01-05"),
        (D(2026, 1, 5), D(2026, 3, 2), None, "2026-03-02 is in the future"),
        (
            D(2026, 1, 5),
            D(2026, 2, 1),
            D(2026, 1, 20),
            "this sign-off was already revoked on 2026-01-20",
        ),
    ],
)
def test_revocation_dated_between_assessment_and_today_once(assessed, revoked, already, problem):
    assert rules.check_revocation(assessed, revoked, already, D(2026, 3, 1)) == problem


@pytest.mark.parametrize(
    ("text", "problem"),
    [("Wrong person", None), ("", "give the reason"), ("  ", "give the reason")],
)
def test_a_reason_is_required(text, problem):
    assert rules.check_reason(text) == problem
