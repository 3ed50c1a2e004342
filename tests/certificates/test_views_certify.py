"""Certify, certify in bulk and revoke pages: what a manager sees and what each refuses."""

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.eligibility import NOT_ELIGIBLE
from certificates.models import Certification
from certificates.services import CERTIFIER_UNLINKED
from core.roles import Role
from tests.certificates import worlds
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db

progress_world = worlds.progress_world
BULK = reverse("certificates:certify-bulk")


@pytest.fixture
def manager(client, role_users, progress_world):
    """A manager whose login is linked to their employee record (they certify as that person)."""
    EmployeeFactory(employee_number="M1", user=role_users[Role.MANAGER])
    client.force_login(role_users[Role.MANAGER])
    return client


def certify_url(person) -> str:
    return reverse("certificates:certify", kwargs={"employee_number": person.employee_number})


def test_certify_page_certifies_and_goes_back_to_the_progress_page(manager, progress_world):
    ben = progress_world["ben"]
    page = manager.get(certify_url(ben), {"tier": 1})
    assert page.status_code == 200
    assert page.context["form"]["tier"].value() == 1

    done = manager.post(
        certify_url(ben), {"tier": 1, "certified_on": timezone.localdate().isoformat()}
    )

    assert done.status_code == 302
    assert done["Location"] == reverse("certificates:employee-progress", args=[ben.employee_number])
    [certification] = Certification.objects.filter(employee=ben)
    assert certification.certified_by.employee_number == "M1"
    assert certification.recorded_by.username == f"user-{Role.MANAGER}"


def test_certify_page_shows_the_refusal_with_every_gap(manager, progress_world):
    dee = progress_world["dee"]
    today = timezone.localdate()

    page = manager.post(certify_url(dee), {"tier": 1, "certified_on": today.isoformat()})

    assert page.status_code == 200
    message = NOT_ELIGIBLE.format(
        number=dee.employee_number,
        tier="Tier I",
        day=today,
        reason="0 of 4 cross-training hours; module WF-101 not passed",
    )
    assert page.context["form"].errors["tier"] == [message]
    assert not Certification.objects.filter(employee=dee).exists()


def test_certify_page_tells_a_manager_without_an_employee_record_why(
    client, role_users, progress_world
):
    client.force_login(role_users[Role.ADMINISTRATOR])
    page = client.post(
        certify_url(progress_world["ben"]),
        {"tier": 1, "certified_on": timezone.localdate().isoformat()},
    )
    assert CERTIFIER_UNLINKED in page.context["form"].non_field_errors()


def test_bulk_certify_previews_the_ready_and_skips_who_is_not_ready_at_confirmation(
    manager, progress_world
):
    ben, dee = progress_world["ben"], progress_world["dee"]
    preview = manager.get(BULK, {"ready": "on"})
    assert [row.employee_number for row in preview.context["rows"]] == [ben.employee_number]

    done = manager.post(BULK, {"people": [ben.pk, dee.pk]})

    assert [c.employee for c in done.context["created"]] == [ben]
    assert done.context["skipped"] == [(dee, "no longer eligible above their certified tier")]
    again = manager.post(BULK, {"people": [ben.pk]})
    assert (
        again.context["created"] == [] and Certification.objects.filter(employee=ben).count() == 1
    )


def test_revoke_page_revokes_with_a_reason(manager, progress_world):
    ada = progress_world["ada"]
    certification = Certification.objects.get(employee=ada)
    url = reverse("certificates:certification-revoke", args=[certification.pk])

    refused = manager.post(url, {"reason": "", "revoked_on": timezone.localdate().isoformat()})
    assert refused.status_code == 200 and refused.context["form"].errors["reason"]
    done = manager.post(
        url, {"reason": "Wrong tier", "revoked_on": timezone.localdate().isoformat()}
    )

    assert done.status_code == 302
    certification.refresh_from_db()
    assert certification.revoke_reason == "Wrong tier"


@pytest.mark.parametrize(("role", "linked"), [(Role.MANAGER, True), (Role.TRAINER, False)])
def test_team_ready_badge_links_to_certify_only_for_who_may(
    client, role_users, progress_world, role, linked
):
    client.force_login(role_users[role])
    html = client.get(reverse("certificates:team"), {"ready": "on"}).content.decode()
    assert (certify_url(progress_world["ben"]) in html) is linked
    assert (BULK in html) is linked
