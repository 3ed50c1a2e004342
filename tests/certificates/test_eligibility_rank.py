"""The fast `eligible_rank` path always agrees with `evaluate_tiers` (no database)."""

import datetime
import random
from decimal import Decimal

import pytest

from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    eligible_rank,
    evaluate_tiers,
)
from skills.rules import add_months

D = datetime.date
SIDES = {"TONE": None, "DEESC": None, "BILL": "back", "CLM": "back", "CALL": "front"}
TIERS = [
    TierRule(
        rank=1,
        name="Tier I",
        min_cross_training_hours=Decimal(6),
        min_tenure_days=90,
        required_modules=("WF-101",),
        required_skills=(("TONE", 2),),
    ),
    TierRule(
        rank=2,
        name="Tier II",
        min_cross_training_hours=Decimal(20),
        min_other_side_skills=1,
        min_tenure_days=365,
        required_modules=("WF-201",),
        required_skills=(("DEESC", 3),),
    ),
    TierRule(rank=3, name="Tier III", min_other_side_skills=2, min_tenure_days=730),
]


def random_facts(rng: random.Random) -> EmployeeFacts:
    side = rng.choice(("front", "back"))
    home = "CC" if side == "front" else "BO"
    start = D(2023, 1, 1)

    def when():
        return start + datetime.timedelta(days=rng.randint(0, 1300))

    return EmployeeFacts(
        employee_number="E1",
        home_department=home,
        side=side,
        hire_date=start + datetime.timedelta(days=rng.randint(-400, 800)),
        attendances=tuple(
            AttendanceFact(when(), rng.choice(("CC", "BO", "BX")), Decimal(rng.randint(1, 16)) / 2)
            for _ in range(rng.randint(0, 8))
        ),
        signoffs=tuple(
            SignoffFact(
                code := rng.choice(list(SIDES)),
                rng.randint(1, 4),
                (on := when()),
                add_months(on, 12) if code != "TONE" else None,
                rng.choice((None, None, None, on + datetime.timedelta(days=40))),
            )
            for _ in range(rng.randint(0, 7))
        ),
        completions=tuple(
            CompletionFact(rng.choice(("WF-101", "WF-201")), when(), rng.randint(60, 100), 80)
            for _ in range(rng.randint(0, 3))
        ),
    )


@pytest.mark.parametrize("seed", range(20))
def test_eligible_rank_agrees_with_evaluate_tiers(seed):
    rng = random.Random(seed)
    for _ in range(100):
        facts = random_facts(rng)
        day = D(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 1200))
        expected = evaluate_tiers(facts, TIERS, SIDES, day).eligible_rank
        assert eligible_rank(facts, TIERS, SIDES, day) == expected


def test_eligible_rank_is_cumulative():
    # Meets Tier III's own requirements but not Tier I's: no tier at all.
    facts = EmployeeFacts(
        "E1",
        "CC",
        "front",
        D(2020, 1, 1),
        signoffs=(SignoffFact("BILL", 3, D(2025, 1, 1)), SignoffFact("CLM", 3, D(2025, 1, 1))),
    )
    assert eligible_rank(facts, TIERS, SIDES, D(2026, 1, 1)) == 0
