"""Tier eligibility rules, tested without the database (DOMAIN.md "Skills", "Training", "Tiers")."""

import datetime
from decimal import Decimal

import pytest

from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    cross_training_hours,
    evaluate_tiers,
    format_hours,
    levels_on,
    other_side_skill_count,
)
from skills.rules import add_months

D = datetime.date
H = Decimal
DAY = D(2026, 6, 15)

# Skill code -> owning department's side (None: universal skill).
SIDES = {"CC-CALL": "front", "BILL-DISP": "back", "CLM-INT": "back", "DEESC": None}


def facts(**overrides) -> EmployeeFacts:
    base = {
        "employee_number": "E1",
        "home_department": "CC-GEN",
        "side": "front",
        "hire_date": D(2025, 1, 1),
    }
    return EmployeeFacts(**{**base, **overrides})


NEW_YEAR = D(2026, 1, 1)


def signoff(code="BILL-DISP", level=3, on=NEW_YEAR, months=None, revoked_on=None):
    expires = add_months(on, months) if months else None
    return SignoffFact(code, level, on, expires_on=expires, revoked_on=revoked_on)


@pytest.mark.parametrize(
    ("rule", "sign", "day", "valid"),
    [
        ("valid on the day it is assessed", signoff(on=DAY), DAY, True),
        ("not valid before it is assessed", signoff(on=DAY), DAY - datetime.timedelta(1), False),
        ("never expires without recert months", signoff(on=D(2000, 1, 1)), DAY, True),
        (
            "valid the day before expiry",
            signoff(on=D(2025, 6, 15), months=12),
            D(2026, 6, 14),
            True,
        ),
        (
            "expired on its expiry date",
            signoff(on=D(2025, 6, 15), months=12),
            D(2026, 6, 15),
            False,
        ),
        (
            "31 Jan + 1 month expires 28 Feb",
            signoff(on=D(2026, 1, 31), months=1),
            D(2026, 2, 27),
            True,
        ),
        (
            "31 Jan + 1 month: gone on 28 Feb",
            signoff(on=D(2026, 1, 31), months=1),
            D(2026, 2, 28),
            False,
        ),
        ("revoked on the day: not valid", signoff(revoked_on=DAY), DAY, False),
        (
            "revoked later: still valid today",
            signoff(revoked_on=DAY + datetime.timedelta(1)),
            DAY,
            True,
        ),
    ],
)
def test_signoff_validity(rule, sign, day, valid):
    assert sign.is_valid_on(day) is valid, rule


def test_levels_on_takes_the_highest_valid_level():
    signs = [
        signoff(level=2, on=D(2025, 1, 1)),
        signoff(level=4, on=D(2025, 2, 1), months=12),  # expired 2026-02-01
        signoff(level=3, on=D(2026, 3, 1)),
        signoff(level=4, on=D(2026, 4, 1), revoked_on=D(2026, 5, 1)),
        signoff(code="CLM-INT", level=1, on=D(2026, 7, 1)),  # in the future
    ]
    assert levels_on(signs, DAY) == {"BILL-DISP": 3}


def test_level_is_zero_without_sign_offs():
    assert levels_on([], DAY).get("BILL-DISP", 0) == 0


@pytest.mark.parametrize(
    ("rule", "attendance", "counted"),
    [
        ("another department's session counts", AttendanceFact(DAY, "BO-BILL", H("2.5")), H("2.5")),
        ("a session on the date counts", AttendanceFact(DAY, "BO-BILL", H("1")), H("1")),
        ("a session after the date does not", AttendanceFact(D(2026, 6, 16), "BO-BILL", H("1")), 0),
        ("home department hours do not count", AttendanceFact(DAY, "CC-GEN", H("3")), 0),
    ],
)
def test_cross_training_hours(rule, attendance, counted):
    assert cross_training_hours([attendance], "CC-GEN", DAY) == Decimal(counted), rule


@pytest.mark.parametrize(
    ("rule", "levels", "count"),
    [
        ("other-side skill at level 3 counts", {"BILL-DISP": 3}, 1),
        ("other-side skill at level 4 counts", {"BILL-DISP": 4}, 1),
        ("other-side skill at level 2 does not", {"BILL-DISP": 2}, 0),
        ("same-side skill does not", {"CC-CALL": 4}, 0),
        ("universal skill does not", {"DEESC": 4}, 0),
        ("two other-side skills count twice", {"BILL-DISP": 3, "CLM-INT": 3}, 2),
    ],
)
def test_other_side_skill_count_for_a_front_office_employee(rule, levels, count):
    assert other_side_skill_count(levels, SIDES, "front") == count, rule


TIER_1 = TierRule(
    rank=1,
    name="Tier I",
    differential_per_hour=H("0.50"),
    min_cross_training_hours=H("8"),
    min_tenure_days=90,
    required_modules=("WF-101",),
)
TIER_2 = TierRule(
    rank=2,
    name="Tier II",
    differential_per_hour=H("1.25"),
    min_cross_training_hours=H("20"),
    min_other_side_skills=1,
    required_modules=("WF-101", "WF-201"),
    required_skills=(("DEESC", 3),),
)
TIERS = [TIER_2, TIER_1]  # out of order on purpose: rank decides


def passed(code="WF-101", on=NEW_YEAR - datetime.timedelta(300), score=80, mark=80):
    return CompletionFact(code, on, score, mark)


def tier_one_facts(**overrides):
    base = {
        "attendances": (AttendanceFact(D(2026, 1, 10), "BO-BILL", H("12.5")),),
        "completions": (passed(),),
    }
    return facts(**{**base, **overrides})


def test_evaluate_meets_tier_one_and_lists_tier_two_gaps_in_words():
    status = evaluate_tiers(tier_one_facts(), TIERS, SIDES, DAY)
    assert status.eligible_rank == 1
    assert status.cross_training_hours == H("12.5")
    assert status.next_tier.rank == 2
    assert status.next_tier_gaps == [
        "12.5 of 20 cross-training hours",
        "0 of 1 other-side skills at level 3",
        "module WF-201 not passed",
        "DEESC: level 0 of 3 needed",
    ]


@pytest.mark.parametrize(
    ("rule", "overrides", "rank"),
    [
        ("score equal to the pass mark passes", {"completions": (passed(score=80),)}, 1),
        ("score below the pass mark fails", {"completions": (passed(score=79),)}, 0),
        (
            "a completion after the date does not count",
            {"completions": (passed(on=D(2026, 7, 1)),)},
            0,
        ),
        ("tenure exactly the minimum is enough", {"hire_date": DAY - datetime.timedelta(90)}, 1),
        ("tenure one day short is not", {"hire_date": DAY - datetime.timedelta(89)}, 0),
        (
            "hours in the home department do not count",
            {"attendances": (AttendanceFact(D(2026, 1, 10), "CC-GEN", H("12.5")),)},
            0,
        ),
        (
            "exactly the minimum hours are enough",
            {"attendances": (AttendanceFact(DAY, "BO-BILL", H("8")),)},
            1,
        ),
    ],
)
def test_evaluate_tier_one_boundaries(rule, overrides, rank):
    assert evaluate_tiers(tier_one_facts(**overrides), TIERS, SIDES, DAY).eligible_rank == rank, (
        rule
    )


def tier_two_facts(**overrides):
    base = {
        "attendances": (AttendanceFact(D(2026, 1, 10), "BO-BILL", H("20")),),
        "completions": (passed(), passed("WF-201")),
        "signoffs": (signoff("BILL-DISP", 3), signoff("DEESC", 3)),
    }
    return facts(**{**base, **overrides})


def test_evaluate_meets_both_tiers_and_has_no_next_tier():
    status = evaluate_tiers(tier_two_facts(), TIERS, SIDES, DAY)
    assert (status.eligible_rank, status.next_tier, status.next_tier_gaps) == (2, None, [])


def test_evaluate_tiers_are_cumulative_a_higher_tier_alone_is_not_enough():
    # Everything of Tier II is met, but Tier I's tenure is not: no tier at all.
    status = evaluate_tiers(
        tier_two_facts(hire_date=DAY - datetime.timedelta(30)), TIERS, SIDES, DAY
    )
    assert status.eligible_rank == 0
    assert status.next_tier.rank == 1
    assert status.next_tier_gaps == ["30 of 90 days of tenure"]


def test_evaluate_expiring_required_skill_drops_the_tier_on_its_expiry_date():
    sign = signoff("DEESC", 3, on=D(2025, 6, 15), months=12)
    data = tier_two_facts(signoffs=(signoff("BILL-DISP", 3), sign))
    assert evaluate_tiers(data, TIERS, SIDES, D(2026, 6, 14)).eligible_rank == 2
    assert evaluate_tiers(data, TIERS, SIDES, D(2026, 6, 15)).eligible_rank == 1


def test_evaluate_same_side_and_universal_skills_do_not_count_as_other_side():
    data = tier_two_facts(signoffs=(signoff("CC-CALL", 4), signoff("DEESC", 4)))
    status = evaluate_tiers(data, TIERS, SIDES, DAY)
    assert status.eligible_rank == 1
    assert status.next_tier_gaps == ["0 of 1 other-side skills at level 3"]


def test_evaluate_without_tiers_is_tier_zero():
    status = evaluate_tiers(tier_one_facts(), [], SIDES, DAY)
    assert (status.eligible_rank, status.next_tier) == (0, None)


def test_employee_facts_termination_on_the_date_is_not_active():
    assert facts(termination_date=DAY).is_active_on(DAY) is False
    assert facts(termination_date=DAY + datetime.timedelta(1)).is_active_on(DAY) is True


def test_requirement_progress_fraction_for_a_bar():
    status = evaluate_tiers(tier_one_facts(), TIERS, SIDES, DAY)
    hours = next(r for r in status.next_tier_requirements if r.kind == "hours")
    assert hours.fraction == pytest.approx(12.5 / 20)


@pytest.mark.parametrize(
    ("value", "text"), [("12.50", "12.5"), ("20.00", "20"), ("0", "0"), ("0.25", "0.25")]
)
def test_format_hours_writes_hours_as_people_do(value, text):
    assert format_hours(Decimal(value)) == text


def test_facts_by_person_gives_each_person_their_own_facts_in_order():
    from certificates.eligibility import facts_by_person

    hired = D(2025, 1, 1)
    people = [("a", "E1", "CC", "front", hired, None), ("b", "E2", "BO", "back", hired, None)]
    first = AttendanceFact(D(2026, 1, 5), "BO", H("2"))
    second = AttendanceFact(D(2026, 1, 6), "BO", H("3"))
    signoff = SignoffFact("BILL", 3, D(2026, 1, 7))
    facts = facts_by_person(
        people,
        attendances=[("a", first), ("zz", second), ("a", second)],
        signoffs=[("b", signoff)],
    )
    assert facts["a"].attendances == (first, second), "a stranger's row is dropped"
    assert facts["a"].signoffs == () and facts["b"].signoffs == (signoff,)
    assert (facts["b"].employee_number, facts["b"].side, facts["b"].completions) == (
        "E2",
        "back",
        (),
    )
