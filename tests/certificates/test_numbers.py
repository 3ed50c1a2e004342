"""Certificate numbers: sequential within the year of the certified date, whichever way a
certification is written (the service, the admin, bulk writers), and kept when revoked."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from certificates import services
from certificates.models import CertificateCounter, Certification
from tests.factories.certificates import CertificationFactory, TierFactory
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def test_numbers_run_on_within_a_year_and_start_again_in_the_next():
    made = [
        CertificationFactory(certified_on=day)
        for day in (D(2025, 12, 30), D(2026, 1, 2), D(2025, 12, 31), D(2026, 2, 1))
    ]
    assert [c.certificate_number for c in made] == [
        "CT-2025-000001",
        "CT-2026-000001",
        "CT-2025-000002",
        "CT-2026-000002",
    ]
    assert dict(CertificateCounter.objects.values_list("year", "last")) == {2025: 2, 2026: 2}


def test_a_bulk_write_numbers_in_date_order_in_one_go():
    tier = TierFactory()
    certifier = EmployeeFactory()
    days = [D(2026, 3, 9), D(2026, 3, 1), D(2026, 3, 5)]
    rows = [
        Certification(
            employee=EmployeeFactory(), tier=tier, certified_on=day, certified_by=certifier
        )
        for day in days
    ]
    Certification.objects.bulk_create(rows)
    numbers = dict(Certification.objects.values_list("certified_on", "certificate_number"))
    assert numbers == {
        D(2026, 3, 1): "CT-2026-000001",
        D(2026, 3, 5): "CT-2026-000002",
        D(2026, 3, 9): "CT-2026-000003",
    }


def test_a_revoked_certification_keeps_its_number_and_a_new_one_takes_the_next():
    first = CertificationFactory(certified_on=D(2026, 4, 1))
    services.certification_revoke(
        certification=first, reason="Wrong tier.", user=None, today=D(2026, 4, 2)
    )
    first.refresh_from_db()
    again = CertificationFactory(
        employee=first.employee, tier=first.tier, certified_on=first.certified_on
    )
    assert (first.certificate_number, again.certificate_number) == (
        "CT-2026-000001",
        "CT-2026-000002",
    )


def test_a_rolled_back_certification_gives_its_number_back():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        CertificationFactory(certified_on=D(2026, 5, 1))
        raise RuntimeError("the request failed after the insert")
    assert CertificationFactory(certified_on=D(2026, 5, 2)).certificate_number == ("CT-2026-000001")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_migration_numbers_existing_certifications_in_date_order_with_their_history():
    old = migrate([("certificates", "0006_crockford_verification_codes")])
    department = old.get_model("skills", "Department").objects.create(
        code="CC", name="Calls", side="front", site="A"
    )
    employee = old.get_model("skills", "Employee")
    people = [
        employee.objects.create(
            employee_number=f"E{n}",
            first_name="A",
            last_name="B",
            department=department,
            hire_date=D(2024, 1, 1),
        )
        for n in range(4)
    ]
    tier = old.get_model("certificates", "Tier").objects.create(
        rank=1, name="Tier I", differential_per_hour=1
    )
    certification = old.get_model("certificates", "Certification")
    history = old.get_model("certificates", "HistoricalCertification")
    for person, day in zip(people[1:], (D(2026, 2, 1), D(2025, 7, 1), D(2026, 1, 3)), strict=True):
        row = certification.objects.create(
            employee=person,
            tier=tier,
            certified_on=day,
            certified_by=people[0],
            verification_code=f"C{person.pk}",
        )
        history.objects.create(
            id=row.pk,
            employee=person,
            tier=tier,
            certified_on=day,
            certified_by=people[0],
            verification_code=row.verification_code,
            recorded_at=row.recorded_at,
            history_date=datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC),
            history_type="+",
        )

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    numbers = new.get_model("certificates", "Certification").objects.order_by("certified_on")
    assert list(numbers.values_list("certified_on", "certificate_number")) == [
        (D(2025, 7, 1), "CT-2025-000001"),
        (D(2026, 1, 3), "CT-2026-000001"),
        (D(2026, 2, 1), "CT-2026-000002"),
    ]
    assert sorted(
        new.get_model("certificates", "HistoricalCertification").objects.values_list(
            "certificate_number", flat=True
        )
    ) == ["CT-2025-000001", "CT-2026-000001", "CT-2026-000002"]
    assert dict(
        new.get_model("certificates", "CertificateCounter").objects.values_list("year", "last")
    ) == {2025: 1, 2026: 2}
