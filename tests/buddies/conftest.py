"""A small organisation for the buddies tests: three seekers in a Leeds contact centre, an
old hand (Tier II) in Leeds billing and a Tier I buddy in York claims."""

import datetime

import pytest

from tests.factories.certificates import TierFactory
from tests.factories.skills import DepartmentFactory, EmployeeFactory

DAY = datetime.date(2026, 7, 6)
OLD_HAND = datetime.date(2015, 1, 5)


@pytest.fixture
def org():
    TierFactory(rank=1, name="Tier I")  # no requirements: everyone employed meets it
    TierFactory(rank=2, name="Tier II", min_tenure_days=3000)  # only the old hands
    calls = DepartmentFactory(code="CC", side="front", site="Leeds")
    billing = DepartmentFactory(code="BO", side="back", site="Leeds")
    claims = DepartmentFactory(code="CL", side="back", site="York")
    people = {
        "ann": EmployeeFactory(employee_number="E1", department=calls),
        "bob": EmployeeFactory(employee_number="E2", department=calls, shift="evening"),
        "cat": EmployeeFactory(employee_number="E3", department=calls),
        "vic": EmployeeFactory(employee_number="E90", department=billing, hire_date=OLD_HAND),
        "wes": EmployeeFactory(employee_number="E91", department=claims, shift="evening"),
    }
    return people
