"""Factories for departments, employees, skills and sign-offs.

Everyone is hired on DEFAULT_HIRE_DATE and dated records default to DEFAULT_EVENT_DATE or the
latest hire date of the people in them, whichever is later, so that the people in a record are
active on its date. A test that passes an earlier date passes its people too.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from skills.models import Department, Employee, Level, Signoff, Skill

DEFAULT_HIRE_DATE = datetime.date(2020, 1, 6)
DEFAULT_EVENT_DATE = datetime.date(2025, 3, 3)


def event_date(*people: Employee) -> datetime.date:
    """The default date of a record: on or after every person's hire date."""
    return max([DEFAULT_EVENT_DATE, *(person.hire_date for person in people)])


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"DEP-{n:03d}")
    name = factory.Sequence(lambda n: f"Department {n}")
    side = Department.Side.FRONT
    site = "Leeds"

    class Params:
        back = factory.Trait(side=Department.Side.BACK)


class EmployeeFactory(DjangoModelFactory):
    class Meta:
        model = Employee

    employee_number = factory.Sequence(lambda n: f"E{10000 + n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda o: f"{o.employee_number.lower()}@example.com")
    department = factory.SubFactory(DepartmentFactory)
    shift = Employee.Shift.DAY
    hire_date = DEFAULT_HIRE_DATE
    termination_date = None

    class Params:
        front = factory.Trait(
            department=factory.SubFactory(DepartmentFactory, side=Department.Side.FRONT)
        )
        back = factory.Trait(
            department=factory.SubFactory(DepartmentFactory, side=Department.Side.BACK)
        )
        terminated = factory.Trait(
            termination_date=factory.LazyAttribute(
                lambda o: o.hire_date + datetime.timedelta(days=365)
            )
        )


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill

    code = factory.Sequence(lambda n: f"SKILL-{n:03d}")
    name = factory.Sequence(lambda n: f"Skill {n}")
    department = factory.SubFactory(DepartmentFactory)
    recert_months = None

    class Params:
        universal = factory.Trait(department=None)


class SignoffFactory(DjangoModelFactory):
    """A sign-off of an employee by a different employee, on or after both were hired."""

    class Meta:
        model = Signoff

    employee = factory.SubFactory(EmployeeFactory)
    skill = factory.SubFactory(SkillFactory)
    level = Level.INDEPENDENT
    assessor = factory.SubFactory(EmployeeFactory)
    assessed_on = factory.LazyAttribute(lambda o: event_date(o.employee, o.assessor))
    evidence = "Observed handling live cases."
    revoked_on = None
    revoke_reason = ""

    class Params:
        revoked = factory.Trait(
            revoked_on=factory.LazyAttribute(lambda o: o.assessed_on + datetime.timedelta(days=30)),
            revoke_reason="Recorded against the wrong person.",
        )
