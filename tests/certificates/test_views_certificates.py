"""Certificates on the pages: who downloads which PDF, the administrator's zip, and the public
verification page with its statuses, its rate limit and its sameness for unknown codes."""

import datetime
import io
import zipfile

import pypdf
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from certificates import codes, services
from certificates.models import Certification
from core.roles import Role
from core.templatetags.tracker import day
from tests.certificates import worlds
from tests.factories.certificates import CertificationFactory

pytestmark = pytest.mark.django_db

progress_world = worlds.progress_world


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def pdf_url(certification) -> str:
    return reverse(
        "certificates:certificate-pdf", kwargs={"number": certification.certificate_number}
    )


def verify_url(certification) -> str:
    return reverse("verify:code", kwargs={"code": certification.verification_code})


def pdf_text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text()


def ada_certificate(world) -> Certification:
    return Certification.objects.get(employee=world["ada"])


# --- Downloads -------------------------------------------------------------------------------


def test_the_employee_downloads_their_own_certificate_from_my_progress(client, progress_world):
    certification = ada_certificate(progress_world)
    client.force_login(progress_world["ada"].user)
    html = client.get(reverse("certificates:my-progress")).content.decode()
    assert "My certificates" in html and pdf_url(certification) in html
    response = client.get(pdf_url(certification))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{certification.certificate_number}.pdf"' in response["Content-Disposition"]
    text = pdf_text(response)
    assert "Ada Tester" in text and certification.certificate_number in text
    assert codes.grouped(certification.verification_code) in text


def test_an_employee_cannot_download_someone_else_s_certificate(client, progress_world):
    client.force_login(progress_world["ada"].user)
    cy = Certification.objects.get(employee=progress_world["cy"])
    assert client.get(pdf_url(cy)).status_code == 404


@pytest.mark.parametrize("role", [Role.TRAINER, Role.MANAGER, Role.ADMINISTRATOR])
def test_trainers_managers_and_administrators_download_from_the_employee_s_page(
    client, role_users, progress_world, role
):
    certification = ada_certificate(progress_world)
    client.force_login(role_users[role])
    page = reverse("certificates:employee-progress", kwargs={"employee_number": "E50001"})
    assert pdf_url(certification) in client.get(page).content.decode()
    assert client.get(pdf_url(certification)).status_code == 200


def test_payroll_cannot_download_certificates(client, role_users, progress_world):
    client.force_login(role_users[Role.PAYROLL])
    assert client.get(pdf_url(ada_certificate(progress_world))).status_code == 403


def test_an_unknown_certificate_number_is_not_found(client, role_users, progress_world):
    client.force_login(role_users[Role.MANAGER])
    url = reverse("certificates:certificate-pdf", kwargs={"number": "CT-1999-000001"})
    assert client.get(url).status_code == 404


def test_the_pdf_of_a_revoked_certification_is_marked_revoked(client, role_users, progress_world):
    certification = ada_certificate(progress_world)
    today = timezone.localdate()
    services.certification_revoke(
        certification=certification, reason="Wrong tier.", user=None, today=today
    )
    client.force_login(role_users[Role.MANAGER])
    text = pdf_text(client.get(pdf_url(certification)))
    assert "REVOKED" in text and f"on {today.day} {today:%B %Y}" in text


def test_the_administrator_downloads_a_zip_of_a_date_range(client, role_users, progress_world):
    day = datetime.date(2025, 3, 10)
    inside = [CertificationFactory(certified_on=day + datetime.timedelta(days=n)) for n in (0, 5)]
    CertificationFactory(certified_on=datetime.date(2025, 4, 1))  # outside
    client.force_login(role_users[Role.ADMINISTRATOR])
    url = reverse("certificates:certificate-archive")
    query = {"issued_from": "2025-03-10", "issued_to": "2025-03-31"}
    page = client.get(url, query)
    assert page.context["count"] == 2
    assert "Download zip" in page.content.decode()
    response = client.get(url, {**query, "download": "1"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archive.namelist()) == sorted(f"{c.certificate_number}.pdf" for c in inside)
    for certification in inside:
        body = archive.read(f"{certification.certificate_number}.pdf")
        text = pypdf.PdfReader(io.BytesIO(body)).pages[0].extract_text()
        assert certification.certificate_number in text


def test_a_large_zip_is_drawn_in_a_job_with_the_same_certificates(
    client, role_users, progress_world, settings, django_capture_on_commit_callbacks
):
    from core.models import Job

    day = datetime.date(2025, 3, 10)
    inside = [CertificationFactory(certified_on=day + datetime.timedelta(days=n)) for n in (0, 5)]
    client.force_login(role_users[Role.ADMINISTRATOR])
    url = reverse("certificates:certificate-archive")
    query = {"issued_from": "2025-03-10", "issued_to": "2025-03-31", "download": "1"}
    direct = b"".join(client.get(url, query).streaming_content)
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_CERTIFICATES": 1}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(url, query)
    job = Job.objects.get()
    assert started["Location"] == reverse("core:job", args=[job.token])
    assert (job.status, job.done, job.total) == ("done", 2, 2)
    assert job.title == "Certificates issued 10 Mar 2025 to 31 Mar 2025 (2)"
    download = client.get(reverse("core:job-download", args=[job.token]))
    assert download["Content-Disposition"] == (
        'attachment; filename="certificates-2025-03-10-to-2025-03-31.zip"'
    )
    assert download.content == direct, "the same certificates, the same bytes"
    names = zipfile.ZipFile(io.BytesIO(download.content)).namelist()
    assert sorted(names) == sorted(f"{c.certificate_number}.pdf" for c in inside)


def test_the_archive_refuses_a_range_that_ends_before_it_starts(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])
    response = client.get(
        reverse("certificates:certificate-archive"),
        {"issued_from": "2025-03-10", "issued_to": "2025-03-01", "download": "1"},
    )
    assert response.status_code == 200
    assert "before it starts" in response.content.decode()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.TRAINER, Role.MANAGER, Role.PAYROLL])
def test_only_administrators_open_the_archive(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(reverse("certificates:certificate-archive")).status_code == 403


# --- Verification ----------------------------------------------------------------------------


def test_anyone_verifies_a_valid_certificate_and_sees_only_what_it_says(client, progress_world):
    certification = ada_certificate(progress_world)
    response = client.get(verify_url(certification))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Valid" in html and "Ada Tester" in html and "Tier I" in html
    assert certification.certificate_number in html
    assert "E50001" not in html and progress_world["ada"].department.name not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_code_is_accepted_however_it_is_typed(client, progress_world):
    certification = ada_certificate(progress_world)
    typed = codes.grouped(certification.verification_code).lower()
    response = client.get(reverse("verify:form"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certification)
    lower = reverse("verify:code", kwargs={"code": typed})
    assert "Valid" in client.get(lower).content.decode()


def test_revocation_shows_at_once_with_its_date(client, progress_world):
    certification = ada_certificate(progress_world)
    today = timezone.localdate()
    services.certification_revoke(
        certification=certification, reason="Wrong tier.", user=None, today=today
    )
    html = client.get(verify_url(certification)).content.decode()
    assert f"Revoked on {day(today)}" in html
    assert "verify-result--revoked" in html


def test_a_holder_who_no_longer_meets_the_tier_is_lapsed(client, progress_world):
    dee = progress_world["dee"]  # no hours, no module: eligible for no tier today
    certification = CertificationFactory(
        employee=dee,
        tier=progress_world["module"].required_by_tiers.get(),
        override_reason="Migrated.",
    )
    html = client.get(verify_url(certification)).content.decode()
    assert "Lapsed" in html and "verify-result--lapsed" in html


def test_an_unknown_code_answers_like_a_known_one(client, progress_world):
    known = client.get(verify_url(ada_certificate(progress_world)))
    unknown = client.get(reverse("verify:code", kwargs={"code": "7KQ2M9XD4HTAP3VW"}))
    garbage = client.get(reverse("verify:code", kwargs={"code": "not-a-code"}))
    for response in (unknown, garbage):
        assert response.status_code == known.status_code == 200
        assert response.templates[0].name == known.templates[0].name
        html = response.content.decode()
        assert "No such certificate" in html and "data-verify-result" in html
        assert response["X-Robots-Tag"] == known["X-Robots-Tag"]


def test_a_typed_code_that_cannot_be_one_is_said_so(client, db):
    html = client.get(reverse("verify:form"), {"code": "hello"}).content.decode()
    assert "cannot be a verification code" in html


def test_past_the_limit_an_address_is_told_to_wait(client, db, settings):
    settings.TRACKER = {
        **settings.TRACKER,
        "CERTIFICATES": {**settings.TRACKER["CERTIFICATES"], "VERIFY_RATE_LIMIT": 3},
    }
    url = reverse("verify:code", kwargs={"code": "7KQ2M9XD4HTAP3VW"})
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many checks" in refused.content.decode()
    assert client.get(reverse("verify:form")).status_code == 429, "the form counts too"
    # Another address is not held back.
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_holder_who_has_left_is_lapsed(client, progress_world):
    ada = progress_world["ada"]
    ada.termination_date = worlds.days_ago(1)
    ada.save()
    html = client.get(verify_url(ada_certificate(progress_world))).content.decode()
    assert "verify-result--lapsed" in html
