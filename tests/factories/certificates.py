"""Factories for tiers and their skill requirements, certifications, pay periods, payroll rows."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from certificates.models import (
    CertificateCounter,
    Certification,
    PayPeriod,
    PayrollRow,
    Tier,
    TierSkillRequirement,
)
from skills.models import Level
from tests.factories.skills import DEFAULT_EVENT_DATE, EmployeeFactory, SkillFactory, event_date

ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def tier_name(rank: int) -> str:
    return f"Tier {ROMAN[rank]}" if rank < len(ROMAN) else f"Tier {rank}"


class TierFactory(DjangoModelFactory):
    """A tier without requirements; a test that needs rank 1 passes rank=1."""

    class Meta:
        model = Tier
        skip_postgeneration_save = True

    rank = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: tier_name(o.rank))
    differential_per_hour = factory.LazyAttribute(lambda o: Decimal("0.50") * o.rank)
    min_cross_training_hours = None
    min_other_side_skills = None
    min_tenure_days = None
    description = ""

    @factory.post_generation
    def required_modules(self, create, extracted, **kwargs):
        if create and extracted:
            self.required_modules.set(extracted)


class TierSkillRequirementFactory(DjangoModelFactory):
    class Meta:
        model = TierSkillRequirement

    tier = factory.SubFactory(TierFactory)
    skill = factory.SubFactory(SkillFactory)
    min_level = Level.INDEPENDENT


class CertificationFactory(DjangoModelFactory):
    """A certification by another employee (the manager), on or after both were hired."""

    class Meta:
        model = Certification

    employee = factory.SubFactory(EmployeeFactory)
    tier = factory.SubFactory(TierFactory)
    certified_by = factory.SubFactory(EmployeeFactory)
    certified_on = factory.LazyAttribute(lambda o: event_date(o.employee, o.certified_by))
    override_reason = ""
    revoked_on = None
    revoke_reason = ""

    class Params:
        revoked = factory.Trait(
            revoked_on=factory.LazyAttribute(
                lambda o: o.certified_on + datetime.timedelta(days=30)
            ),
            revoke_reason="Certified at the wrong tier.",
        )


class PayPeriodFactory(DjangoModelFactory):
    """Contiguous biweekly periods, the first starting on DEFAULT_EVENT_DATE."""

    class Meta:
        model = PayPeriod

    start = factory.Sequence(lambda n: DEFAULT_EVENT_DATE + datetime.timedelta(days=14 * n))
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(days=13))
    closed_at = None

    class Params:
        closed = factory.Trait(closed_at=factory.LazyFunction(timezone.now))


class CertificateCounterFactory(DjangoModelFactory):
    """A year's counter as issuing certificates leaves it (years far from any test's dates)."""

    class Meta:
        model = CertificateCounter
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 1900 + n)
    last = 7


class PayrollRowFactory(DjangoModelFactory):
    """A frozen row of a closed period, copying the employee's names as they were."""

    class Meta:
        model = PayrollRow

    period = factory.SubFactory(PayPeriodFactory, closed=True)
    employee = factory.SubFactory(EmployeeFactory)
    employee_number = factory.SelfAttribute("employee.employee_number")
    last_name = factory.SelfAttribute("employee.last_name")
    first_name = factory.SelfAttribute("employee.first_name")
    department_code = factory.SelfAttribute("employee.department.code")
    paid_tier_rank = 1
    tier_name = factory.LazyAttribute(
        lambda o: tier_name(o.paid_tier_rank) if o.paid_tier_rank else ""
    )
    differential_per_hour = factory.LazyAttribute(lambda o: Decimal("0.50") * o.paid_tier_rank)
    previous_tier_rank = 0
    change = PayrollRow.Change.NEW
    lapsed = False
    lapsed_reason = ""
