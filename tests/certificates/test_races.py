"""Two people doing the same at the same moment: closing, adding periods, certifying."""

import datetime

import pytest
from django.db import connection

from certificates import services
from certificates.models import PayPeriod, PayrollRow
from tests.concurrency import at_once
from tests.factories.certificates import CertificationFactory, TierFactory
from tests.factories.skills import EmployeeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def test_two_simultaneous_closes_freeze_the_rows_once():
    tier = TierFactory(rank=1)
    for n in range(3):
        person = EmployeeFactory(employee_number=f"E{n}")
        CertificationFactory(employee=person, tier=tier, certified_on=datetime.date(2025, 6, 1))
    period = PayPeriod.objects.create(
        start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 14)
    )

    outcomes = at_once(lambda: len(services.pay_period_close(period=period)))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    frozen = next(value for kind, value in outcomes if kind == "ok")
    assert PayrollRow.objects.filter(period=period).count() == frozen


def test_two_clerks_adding_the_same_periods_add_them_once():
    PayPeriod.objects.create(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 1, 14))

    outcomes = at_once(
        lambda: services.pay_periods_create(
            first_start=datetime.date(2026, 1, 15), days=14, count=2
        )
    )

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    assert PayPeriod.objects.count() == 3


def test_two_clerks_adding_the_first_periods_add_them_once():
    first = datetime.date(2026, 1, 1)

    outcomes = at_once(lambda: services.pay_periods_create(first_start=first, days=14, count=2))

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"]
    refused = next(value for kind, value in outcomes if kind == "refused")
    # Whichever way the timing falls, the second clerk is told why in words.
    assert refused == [services.ADDED_MEANWHILE.format(start=first)] or all(
        "overlaps the period" in message for message in refused
    )
    assert PayPeriod.objects.count() == 2


def test_two_managers_certifying_the_same_person_at_once_record_one_certification(
    add_people, tier_world
):
    from certificates.models import Certification, Tier
    from skills.models import Employee

    add_people(1)
    person = Employee.objects.get(employee_number="E20000")
    managers = [EmployeeFactory(department=tier_world["back"]) for _ in range(2)]
    tier = Tier.objects.get(rank=1)
    day = datetime.date(2026, 6, 15)
    turn = iter(managers)

    outcomes = at_once(
        lambda: (
            services.certification_create(
                employee=person, tier=tier, certified_on=day, certified_by=next(turn), today=day
            ).pk
        )
    )

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    assert outcomes[0][1] == outcomes[1][1], "both get the one certification"
    assert Certification.objects.filter(employee=person).count() == 1


def test_certificates_issued_at_the_same_moment_get_the_next_numbers_once_each(
    add_people, tier_world
):
    from certificates.models import Certification, Tier
    from skills.models import Employee

    add_people(4)
    people = iter(list(Employee.objects.filter(employee_number__startswith="E2").order_by("pk")))
    manager = EmployeeFactory(department=tier_world["back"])
    tier = Tier.objects.get(rank=1)
    day = datetime.date(2026, 6, 15)

    outcomes = at_once(
        lambda: (
            services.certification_create(
                employee=next(people), tier=tier, certified_on=day, certified_by=manager, today=day
            ).certificate_number
        ),
        times=4,
    )

    assert sorted(outcomes) == [("ok", f"CT-2026-00000{n}") for n in range(1, 5)]
    assert Certification.objects.count() == 4


def test_two_bulk_certifications_of_one_team_in_opposite_orders_neither_deadlock_nor_repeat(
    add_people, tier_world
):
    from certificates.models import Certification
    from skills.models import Employee

    add_people(6)
    people = list(Employee.objects.filter(employee_number__startswith="E2").order_by("pk"))
    groups = iter([people, list(reversed(people))])
    manager = EmployeeFactory(department=tier_world["back"])
    day = datetime.date(2026, 6, 15)

    def certify_group():
        group = next(groups)
        return len(
            services.certifications_bulk_create(
                employees=group,
                ranks={p.pk: 1 for p in group},
                certified_on=day,
                certified_by=manager,
                today=day,
            ).created
        )

    outcomes = at_once(certify_group)

    assert [kind for kind, _ in outcomes] == ["ok", "ok"]
    numbers = sorted(Certification.objects.values_list("certificate_number", flat=True))
    assert numbers == [f"CT-2026-00000{n}" for n in range(1, 7)]
