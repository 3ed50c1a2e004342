"""The paid tier and its LAPSED reason, without the database (DOMAIN.md "Certification and pay")."""

import datetime
from decimal import Decimal

import pytest

from certificates.eligibility import EmployeeFacts, SignoffFact, TierRule, evaluate_tiers
from certificates.pay import (
    CertificationFact,
    PayChange,
    certified_rank_before,
    certified_rank_on,
    lapse_reason,
    paid_rank,
    paid_tier,
    pay_change,
    pay_period_start,
)
from skills.rules import add_months

D = datetime.date
S = D(2026, 7, 1)  # the period starts here; G is the eligible tier on 30 Jun 2026
EVE = D(2026, 6, 30)


def cert(rank, on, revoked=None):
    return CertificationFact(rank, on, revoked)


@pytest.mark.parametrize(
    ("rule", "certs", "expected"),
    [
        ("no certification: 0", [], 0),
        ("certified before S counts", [cert(2, D(2026, 6, 1))], 2),
        ("certified on S does not count yet", [cert(2, S)], 0),
        ("certified the day before S counts", [cert(1, EVE)], 1),
        ("revoked before S: gone", [cert(2, D(2026, 1, 1), D(2026, 6, 30))], 0),
        ("revoked on S: still counts for this period", [cert(2, D(2026, 1, 1), S)], 2),
        ("revoked after S: counts", [cert(2, D(2026, 1, 1), D(2026, 7, 9))], 2),
        ("highest rank wins", [cert(1, D(2025, 1, 1)), cert(3, D(2026, 1, 1))], 3),
        (
            "a revoked higher tier leaves the lower one",
            [cert(1, D(2025, 1, 1)), cert(3, D(2026, 1, 1), D(2026, 3, 1))],
            1,
        ),
    ],
)
def test_certified_rank_before_the_period_start(rule, certs, expected):
    assert certified_rank_before(certs, S) == expected, rule


@pytest.mark.parametrize(
    ("rule", "certs", "day", "expected"),
    [
        ("certified today counts today", [cert(2, D(2026, 6, 1))], D(2026, 6, 1), 2),
        ("not yet certified", [cert(2, D(2026, 6, 1))], D(2026, 5, 31), 0),
        ("revoked today: gone today", [cert(2, D(2026, 1, 1), D(2026, 6, 1))], D(2026, 6, 1), 0),
        ("revoked tomorrow: held today", [cert(2, D(2026, 1, 1), D(2026, 6, 2))], D(2026, 6, 1), 2),
    ],
)
def test_certified_rank_on_a_day(rule, certs, day, expected):
    assert certified_rank_on(certs, day) == expected, rule


@pytest.mark.parametrize(
    ("rule", "c", "g", "active", "paid"),
    [
        ("min(C, G) when G is lower", 2, 1, True, 1),
        ("min(C, G) when C is lower: eligible for more than certified", 1, 3, True, 1),
        ("equal", 2, 2, True, 2),
        ("no certification: 0 whatever the eligibility", 0, 3, True, 0),
        ("not active on S: 0", 2, 2, False, 0),
        ("not eligible for anything any more: 0", 2, 0, True, 0),
    ],
)
def test_paid_rank_is_min_of_certified_and_eligible(rule, c, g, active, paid):
    assert paid_rank(c, g, active) == paid, rule


@pytest.mark.parametrize(
    ("previous", "current", "change"),
    [
        (0, 1, PayChange.NEW),
        (1, 2, PayChange.UP),
        (3, 1, PayChange.DOWN),
        (2, 0, PayChange.REMOVED),
        (2, 2, PayChange.SAME),
        (0, 0, PayChange.SAME),
    ],
)
def test_pay_change_against_the_previous_period(previous, current, change):
    assert pay_change(previous, current) == change


PERIOD = [(D(2026, 6, 22), D(2026, 7, 5))]


@pytest.mark.parametrize(
    ("rule", "periods", "today", "start"),
    [
        ("the period containing today", PERIOD, D(2026, 7, 1), D(2026, 6, 22)),
        ("on its first day", PERIOD, D(2026, 6, 22), D(2026, 6, 22)),
        ("on its last day", PERIOD, D(2026, 7, 5), D(2026, 6, 22)),
        ("no period contains today: today", PERIOD, D(2026, 7, 6), D(2026, 7, 6)),
        ("no periods at all: today", [], D(2026, 7, 6), D(2026, 7, 6)),
    ],
)
def test_pay_period_start_of_today(rule, periods, today, start):
    assert pay_period_start(periods, today) == start, rule


# --- the LAPSED flag and its reason, fed by the engine on S - 1 day ---------------------------

SIDES = {"TONE": None, "DEESC": None, "BILL-DISP": "back", "CLM-INT": "back", "CC-CALL": "front"}
TIERS = [
    TierRule(rank=1, name="Tier I", min_cross_training_hours=Decimal(0)),
    TierRule(
        rank=2,
        name="Tier II",
        min_other_side_skills=1,
        required_skills=(("DEESC", 3),),
    ),
]


def signoff(code, level, on, months=None, revoked=None):
    return SignoffFact(code, level, on, add_months(on, months) if months else None, revoked)


def person(*signoffs):
    return EmployeeFacts("E1", "CC-GEN", "front", D(2020, 1, 1), signoffs=tuple(signoffs))


def pay_for(facts, certs, active=True):
    status = evaluate_tiers(facts, TIERS, SIDES, S - datetime.timedelta(days=1))
    return paid_tier(
        certifications=certs,
        period_start=S,
        eligible_rank=status.eligible_rank,
        active_on_start=active,
        lost_tier=status.next_tier,
        unmet=status.next_tier_requirements,
        signoffs=facts.signoffs,
        skill_sides=SIDES,
        side=facts.side,
    )


def test_paid_tier_still_eligible_is_paid_in_full_and_not_lapsed():
    facts = person(signoff("DEESC", 3, D(2026, 1, 1)), signoff("BILL-DISP", 3, D(2026, 1, 1)))
    paid = pay_for(facts, [cert(2, D(2026, 2, 1))])
    assert (paid.rank, paid.certified_rank, paid.eligible_rank, paid.lapsed) == (2, 2, 2, False)
    assert paid.reason == ""


def test_paid_tier_lapses_when_a_sign_off_expires_and_says_which():
    facts = person(
        signoff("DEESC", 3, D(2024, 6, 30), months=24),  # expires 30 Jun 2026: gone on S - 1
        signoff("DEESC", 2, D(2026, 1, 10)),
        signoff("BILL-DISP", 3, D(2026, 1, 1)),
    )
    paid = pay_for(facts, [cert(2, D(2025, 1, 1))])
    assert (paid.rank, paid.certified_rank, paid.eligible_rank, paid.lapsed) == (1, 2, 1, True)
    assert paid.reason == (
        "Tier II lapsed: DEESC: level 2 of 3 needed "
        "(its level 3 sign-off of 30 Jun 2024 expired on 30 Jun 2026)"
    )


def test_paid_tier_lapses_when_an_other_side_skill_is_revoked():
    facts = person(
        signoff("DEESC", 4, D(2026, 1, 1)),
        signoff("BILL-DISP", 3, D(2026, 1, 1), revoked=D(2026, 6, 12)),
    )
    paid = pay_for(facts, [cert(2, D(2026, 2, 1))])
    assert paid.lapsed and paid.rank == 1
    assert paid.reason == (
        "Tier II lapsed: 0 of 1 other-side skills at level 3 "
        "(BILL-DISP level 3 sign-off of 1 Jan 2026 was revoked on 12 Jun 2026)"
    )


def test_paid_tier_lapsed_is_flagged_even_when_the_person_has_left():
    facts = person(signoff("BILL-DISP", 3, D(2026, 1, 1)))
    paid = pay_for(facts, [cert(2, D(2026, 2, 1))], active=False)
    assert paid.rank == 0 and paid.lapsed
    assert paid.reason.startswith("Tier II lapsed: DEESC: level 0 of 3 needed")


def test_paid_tier_eligible_above_certified_is_paid_the_certified_tier_without_lapse():
    facts = person(signoff("DEESC", 3, D(2026, 1, 1)), signoff("BILL-DISP", 3, D(2026, 1, 1)))
    paid = pay_for(facts, [cert(1, D(2026, 2, 1))])
    assert (paid.rank, paid.lapsed, paid.reason) == (1, False, "")


def test_paid_tier_without_certification_is_zero_and_not_lapsed():
    paid = pay_for(person(), [])
    assert (paid.rank, paid.certified_rank, paid.lapsed) == (0, 0, False)


def test_paid_tier_certified_on_the_start_day_is_not_paid_until_the_next_period():
    facts = person(signoff("DEESC", 3, D(2026, 1, 1)), signoff("BILL-DISP", 3, D(2026, 1, 1)))
    assert pay_for(facts, [cert(2, S)]).rank == 0


def test_lapse_reason_without_requirements_still_says_what_lapsed():
    assert lapse_reason(TIERS[1], [], EVE) == "Tier II lapsed: no longer eligible on 30 Jun 2026"


def test_lapse_reason_lists_each_gap_of_the_lost_tier():
    status = evaluate_tiers(person(), TIERS, SIDES, EVE)
    assert lapse_reason(status.next_tier, status.next_tier_requirements, EVE) == (
        "Tier II lapsed: 0 of 1 other-side skills at level 3; DEESC: level 0 of 3 needed"
    )
