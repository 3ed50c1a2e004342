"""A small organisation dated around today, for the progress, team and home page tests.

Use it in a test module with `progress_world = worlds.progress_world` (after `from
tests.certificates import worlds`). Built on `tier_world` (tests/certificates/conftest.py):
Tier I needs 4 cross-training hours and module WF-101; Tier II one other-side skill at level 3
and DEESC at level 3. BILL-DISP (back office) expires after 12 months.

- ada (E50001, front office, login "ada"): eligible and certified Tier I, DEESC at level 2, her
  BILL-DISP sign-off expires in 35 days.
- ben (E50002, front office): eligible Tier I, never certified: ready to certify.
- cy (E50003, front office): certified Tier II, whose only other-side skill (BILL-DISP) expires
  in 35 days: certification lapsing.
- dee (E50004, back office): no tier.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates.models import Tier
from tests.factories.buddies import BuddyPairingFactory
from tests.factories.certificates import CertificationFactory
from tests.factories.skills import EmployeeFactory, SignoffFactory
from tests.factories.training import (
    AttendanceFactory,
    ModuleCompletionFactory,
    TrainingSessionFactory,
)

HIRED = datetime.date(2020, 1, 6)


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def progress_world(tier_world, make_user):
    w = tier_world
    tier1, tier2 = Tier.objects.get(rank=1), Tier.objects.get(rank=2)
    session = TrainingSessionFactory(
        host_department=w["back"], date=days_ago(100), duration_hours=Decimal(4)
    )

    def person(number, first, department, *, hours=True, module=True):
        employee = EmployeeFactory(
            employee_number=number,
            first_name=first,
            last_name="Tester",
            department=department,
            hire_date=HIRED,
        )
        if hours:
            AttendanceFactory(session=session, employee=employee, hours=Decimal(4))
        if module:
            ModuleCompletionFactory(
                employee=employee, module=w["module"], completed_on=days_ago(90)
            )
        return employee

    ada = person("E50001", "Ada", w["front"])
    ada.user = make_user("ada", "employee")
    ada.save()
    SignoffFactory(employee=ada, skill=w["billing"], level=3, assessed_on=days_ago(330))
    SignoffFactory(employee=ada, skill=w["deesc"], level=2, assessed_on=days_ago(200))
    CertificationFactory(employee=ada, tier=tier1, certified_on=days_ago(60))
    buddy = EmployeeFactory(
        employee_number="E50010", first_name="Bo", last_name="Buddy", department=w["back"]
    )
    BuddyPairingFactory(seeker=ada, buddy=buddy, started_on=days_ago(30))

    ben = person("E50002", "Ben", w["front"])

    cy = person("E50003", "Cy", w["front"])
    SignoffFactory(employee=cy, skill=w["billing"], level=3, assessed_on=days_ago(330))
    SignoffFactory(employee=cy, skill=w["deesc"], level=3, assessed_on=days_ago(200))
    CertificationFactory(employee=cy, tier=tier2, certified_on=days_ago(50))

    dee = person("E50004", "Dee", w["back"], hours=False, module=False)
    return {**w, "ada": ada, "ben": ben, "cy": cy, "dee": dee, "buddy": buddy}
