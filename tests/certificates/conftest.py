"""Fixtures of the certificates tests: a small organisation with two tiers."""

import datetime
from decimal import Decimal

import pytest

from certificates import services
from certificates.models import Tier
from tests.factories.certificates import (
    CertificationFactory,
    TierFactory,
    TierSkillRequirementFactory,
)
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory, SkillFactory
from tests.factories.training import (
    AttendanceFactory,
    ModuleCompletionFactory,
    TrainingSessionFactory,
    WorkflowModuleFactory,
)

D = datetime.date


@pytest.fixture
def tier_world(db):
    front = DepartmentFactory(code="CC-GEN", side="front")
    back = DepartmentFactory(code="BO-BILL", side="back")
    module = WorkflowModuleFactory(code="WF-101", pass_mark=80)
    billing = SkillFactory(code="BILL-DISP", department=back, recert_months=12)
    deesc = SkillFactory(code="DEESC", department=None)
    TierFactory(rank=1, min_cross_training_hours=Decimal("4"), required_modules=[module])
    tier2 = TierFactory(rank=2, min_other_side_skills=1)
    TierSkillRequirementFactory(tier=tier2, skill=deesc, min_level=3)
    return {"front": front, "back": back, "module": module, "billing": billing, "deesc": deesc}


@pytest.fixture
def add_people(tier_world):
    """Adds `count` front-office people, each with the facts for Tier I and a Tier II gap."""
    world = tier_world

    def add(count: int, start: int = 0):
        for n in range(start, start + count):
            person = EmployeeFactory(employee_number=f"E{20000 + n}", department=world["front"])
            session = TrainingSessionFactory(
                host_department=world["back"], date=D(2026, 1, 5), duration_hours=4
            )
            AttendanceFactory(session=session, employee=person, hours=Decimal("4"))
            ModuleCompletionFactory(
                employee=person, module=world["module"], completed_on=D(2026, 1, 6)
            )
            SignoffFactory(
                employee=person,
                skill=world["billing"],
                level=3,
                assessed_on=D(2026, 2, 1),
            )

    return add


@pytest.fixture
def lapser(tier_world):
    """E30000: certified Tier II, whose only other-side skill expires on 20 Jul 2026."""
    w = tier_world
    person = EmployeeFactory(employee_number="E30000", department=w["front"])
    session = TrainingSessionFactory(
        host_department=w["back"], date=D(2026, 1, 5), duration_hours=4
    )
    AttendanceFactory(session=session, employee=person, hours=Decimal("4"))
    ModuleCompletionFactory(employee=person, module=w["module"], completed_on=D(2026, 1, 6))
    SignoffFactory(employee=person, skill=w["deesc"], level=3, assessed_on=D(2026, 1, 1))
    SignoffFactory(employee=person, skill=w["billing"], level=3, assessed_on=D(2025, 7, 20))
    CertificationFactory(employee=person, tier=Tier.objects.get(rank=2), certified_on=D(2026, 2, 1))
    return person


# Periods of 14 days from 1 Jan 2026: 1 Jan, 15 Jan, 29 Jan, 12 Feb, 26 Feb, 12 Mar.
PAY_WALK_START = D(2026, 1, 1)


@pytest.fixture
def walk():
    """One front-office person, tiers needing a skill each; the second skill lasts 2 months."""
    tone = SkillFactory(code="TONE", universal=True, recert_months=2)
    bill = SkillFactory(code="BILL", universal=True)
    TierSkillRequirementFactory(tier=TierFactory(rank=1, pay_code="XT1"), skill=tone, min_level=3)
    tier2 = TierFactory(rank=2, pay_code="XT2", differential_per_hour=Decimal("1.25"))
    TierSkillRequirementFactory(tier=tier2, skill=tone, min_level=3)
    TierSkillRequirementFactory(tier=tier2, skill=bill, min_level=3)
    person = EmployeeFactory(employee_number="E1", hire_date=D(2025, 1, 1), last_name="Novák")
    manager = EmployeeFactory(employee_number="M1", hire_date=D(2024, 1, 1))
    SignoffFactory(employee=person, skill=tone, level=3, assessed_on=D(2025, 11, 20))
    CertificationFactory(employee=person, tier=Tier.objects.get(rank=1),
                         certified_by=manager, certified_on=D(2025, 12, 20))  # fmt: skip
    services.pay_periods_create(first_start=PAY_WALK_START, days=14, count=6)
    return {"person": person, "manager": manager, "tone": tone, "bill": bill, "tier2": tier2}
