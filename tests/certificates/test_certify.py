"""Certifying and revoking: refused unless eligible, never by oneself, never twice."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from certificates import services
from certificates.eligibility import NOT_ELIGIBLE
from certificates.models import Certification, Tier
from skills.rules import REASON_REQUIRED
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DAY = D(2026, 6, 15)


@pytest.fixture
def ready(add_people, tier_world):
    """E20000: eligible for Tier I (not Tier II) on DAY; a manager from the back office."""
    add_people(1)
    from skills.models import Employee

    return {
        "person": Employee.objects.get(employee_number="E20000"),
        "manager": EmployeeFactory(employee_number="M1", department=tier_world["back"]),
        "tier1": Tier.objects.get(rank=1),
        "tier2": Tier.objects.get(rank=2),
    }


def certify(ready, tier, **changes):
    values = {
        "employee": ready["person"],
        "tier": tier,
        "certified_on": DAY,
        "certified_by": ready["manager"],
        "today": DAY,
    }
    return services.certification_create(**{**values, **changes})


def test_certify_records_an_eligible_person_once_however_often_it_is_asked(ready):
    first = certify(ready, ready["tier1"])
    again = certify(ready, ready["tier1"])

    assert again.pk == first.pk
    assert Certification.objects.count() == 1
    assert first.history.get().history_change_reason == services.CERTIFIED


def test_certify_refuses_a_tier_the_person_is_not_eligible_for_with_every_gap(ready):
    with pytest.raises(ValidationError) as refused:
        certify(ready, ready["tier2"])

    assert refused.value.message_dict == {
        "tier": [
            NOT_ELIGIBLE.format(
                number="E20000",
                tier="Tier II",
                day=DAY,
                reason="DEESC: level 0 of 3 needed",
            )
        ]
    }
    assert not Certification.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"certified_by": "self"}, "certified_by", "E20000 cannot certify themselves"),
        ({"certified_by": None}, "certified_by", services.CERTIFIER_UNLINKED),
        ({"certified_on": D(2026, 6, 16)}, "certified_on", "2026-06-16 is in the future"),
        ({"certified_on": D(2019, 1, 1)}, "employee", "was hired on"),
    ],
)
def test_certify_refuses_with_what_and_where(ready, change, field, message):
    if change.get("certified_by") == "self":
        change = {"certified_by": ready["person"]}

    with pytest.raises(ValidationError) as refused:
        certify(ready, ready["tier1"], **change)

    assert any(message in text for text in refused.value.message_dict[field])
    assert not Certification.objects.exists()


def test_certify_refuses_a_terminated_person(ready):
    ready["person"].termination_date = D(2026, 6, 1)
    ready["person"].save()

    with pytest.raises(ValidationError) as refused:
        certify(ready, ready["tier1"])

    assert refused.value.message_dict["employee"] == [
        "E20000 left on 2026-06-01, on or before 2026-06-15"
    ]


def test_revoke_needs_a_reason_keeps_the_record_and_then_allows_a_new_one(ready, make_user):
    certification = certify(ready, ready["tier1"])
    user = make_user("boss", "manager")

    with pytest.raises(ValidationError) as refused:
        services.certification_revoke(certification=certification, reason=" ", user=user, today=DAY)
    assert refused.value.message_dict == {"reason": [REASON_REQUIRED]}

    services.certification_revoke(
        certification=certification, reason="Wrong tier", user=user, today=DAY
    )
    certification.refresh_from_db()
    assert (certification.revoked_on, certification.revoked_by, certification.revoke_reason) == (
        DAY,
        user,
        "Wrong tier",
    )
    with pytest.raises(ValidationError) as twice:
        services.certification_revoke(
            certification=certification, reason="again", user=user, today=DAY
        )
    assert twice.value.message_dict == {
        "revoked_on": ["this certification was already revoked on 2026-06-15"]
    }
    assert certify(ready, ready["tier1"]).pk != certification.pk, "a revoked one does not block"


def test_bulk_certify_reads_everyone_s_facts_once(add_people, tier_world, make_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from skills.models import Employee

    add_people(6)
    manager = EmployeeFactory(employee_number="M1", department=tier_world["back"])
    people = list(Employee.objects.filter(employee_number__startswith="E2").order_by("pk"))

    def certify_all(group):
        with CaptureQueriesContext(connection) as queries:
            result = services.certifications_bulk_create(
                employees=group,
                ranks={p.pk: 1 for p in group},
                certified_on=DAY,
                certified_by=manager,
                today=DAY,
            )
        assert len(result.created) == len(group)
        return len(queries.captured_queries)

    two, four = certify_all(people[:2]), certify_all(people[2:6])
    # Each person costs only their own writes (lock, look-up, insert, history, savepoints).
    assert (four - two) / 2 <= 8
