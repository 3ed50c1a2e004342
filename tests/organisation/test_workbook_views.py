"""Upload, preview, confirm and export pages: who may use them; a preview cannot be forged."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from core.spreadsheets import reading as spreadsheets
from organisation import services
from organisation.models import WorkbookUpload
from skills.models import Department, Employee
from tests.factories.skills import DepartmentFactory
from tests.organisation.test_workbook_support import SAMPLE, org, xlsx

pytestmark = pytest.mark.django_db

UPLOAD_PAGES = {
    "organisation:workbook-upload": {Role.ADMINISTRATOR},
    "organisation:roster-upload": {Role.PAYROLL, Role.ADMINISTRATOR},
}


def upload_file(data: bytes, name: str = "roster.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def roster() -> dict:
    DepartmentFactory(code="CC-GEN", side="front")
    DepartmentFactory(code="BO-BILL", side="back")
    return org("Employees")


def post_upload(client, name: str, data: bytes, file_name: str = "roster.xlsx"):
    return client.post(reverse(name), {"workbook": upload_file(data, file_name)})


@pytest.mark.parametrize("name", sorted(UPLOAD_PAGES))
def test_upload_pages_for_each_role(client, role_users, name):
    for role, user in role_users.items():
        client.force_login(user)
        response = client.get(reverse(name))
        expected = 200 if role in UPLOAD_PAGES[name] else 403
        assert response.status_code == expected, (name, role)


def test_export_page_only_for_administrators(client, role_users):
    for role, user in role_users.items():
        client.force_login(user)
        response = client.get(reverse("organisation:workbook-export"))
        assert response.status_code == (200 if role == Role.ADMINISTRATOR else 403), role


def test_the_roster_download_is_for_payroll_and_administrators(client, role_users):
    for role, user in role_users.items():
        client.force_login(user)
        response = client.get(reverse("organisation:roster-export"))
        allowed = role in (Role.PAYROLL, Role.ADMINISTRATOR)
        assert response.status_code == (200 if allowed else 403), role


def test_the_roster_download_is_the_employees_sheet_and_uploads_back_unchanged(client, role_users):
    people = roster()
    client.force_login(role_users[Role.PAYROLL])
    post_upload(client, "organisation:roster-upload", xlsx({"Employees": people["Employees"]}))
    upload = WorkbookUpload.objects.latest("uploaded_at")
    client.post(reverse("organisation:workbook-confirm", args=[upload.token]))

    response = client.get(reverse("organisation:roster-export"))

    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    data = b"".join(response.streaming_content)
    assert openpyxl.load_workbook(io.BytesIO(data)).sheetnames == ["Employees"]
    again = post_upload(client, "organisation:roster-upload", data)
    preview = client.get(again["Location"])
    assert not WorkbookUpload.objects.latest("uploaded_at").preview["problems"]
    assert list(preview.context["changes"]) == []


def test_export_page_downloads_the_organisation_workbook(client, role_users):
    services.workbook_import(data=xlsx(org()), file_name="org.xlsx")
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = client.get(reverse("organisation:workbook-export"))

    assert response["Content-Disposition"].startswith('attachment; filename="organisation-')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["Employees"].max_row == 5


def test_roster_upload_previews_then_confirm_imports(client, role_users):
    payroll = role_users[Role.PAYROLL]
    client.force_login(payroll)
    data = xlsx(roster())

    response = post_upload(client, "organisation:roster-upload", data)

    upload = WorkbookUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisation:workbook-preview", kwargs={"token": upload.token}
    )
    assert (upload.kind, upload.uploaded_by, bytes(upload.content)) == ("roster", payroll, data)
    assert Employee.objects.count() == 0  # a preview writes nothing

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["summary"] == [
        {"sheet": "Employees", "created": 4, "updated": 0, "unchanged": 0}
    ]
    assert b"Import roster.xlsx" in page.content

    done = client.post(
        reverse("organisation:workbook-confirm", kwargs={"token": upload.token}),
        {"sha256": upload.sha256},
        follow=True,
    )

    assert Employee.objects.count() == 4
    assert set(Employee.history.values_list("history_user", flat=True)) == {payroll.pk}
    assert "Imported roster.xlsx: 4 rows created, 0 updated, 0 unchanged." in done.content.decode()
    upload.refresh_from_db()
    assert upload.confirmed_at is not None


def test_roster_with_mistakes_lists_every_cell_and_keeps_no_bytes(client, role_users):
    client.force_login(role_users[Role.PAYROLL])
    sheets = roster()
    sheets["Employees"][2][7] = "2026-13-01"
    sheets["Employees"][3][4] = "CC-NOPE"

    response = post_upload(client, "organisation:roster-upload", xlsx(sheets))
    page = client.get(response["Location"])

    assert page.context["problems"] == [
        "Employees!H3 (hire_date): 2026-13-01 is not a date",
        "Employees!E4 (department_code): unknown department CC-NOPE",
    ]
    assert b"Employees!H3 (hire_date): 2026-13-01 is not a date" in page.content
    assert b"workbook-confirm" not in page.content and b'name="sha256"' not in page.content
    assert bytes(WorkbookUpload.objects.get().content) == b""


def test_roster_upload_reports_other_sheets_and_ignores_them(client, role_users):
    client.force_login(role_users[Role.PAYROLL])
    sheets = {**roster(), "Skills": org("Skills")["Skills"]}

    response = post_upload(client, "organisation:roster-upload", xlsx(sheets))
    page = client.get(response["Location"])

    assert page.context["warnings"] == [
        "Skills: a payroll roster is the Employees sheet alone: this sheet was not read and "
        "nothing in it is imported"
    ]
    assert page.context["problems"] == []


HOSTILE = {
    "csv": b"employee_number,first_name\nE1,Ana\n",
    "ole2": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_upload_gets_a_one_line_error(client, role_users, kind):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = post_upload(client, "organisation:workbook-upload", HOSTILE[kind])
    page = client.get(response["Location"])

    assert len(page.context["problems"]) == 1
    assert page.context["problems"][0] in (spreadsheets.NOT_XLSX, spreadsheets.PASSWORD_PROTECTED)
    assert Department.objects.count() == 0


def test_upload_above_the_size_limit_is_refused_before_reading(client, role_users, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    client.force_login(role_users[Role.PAYROLL])

    response = post_upload(client, "organisation:roster-upload", b"PK\x03\x04" + b"\0" * 2000)

    assert response.status_code == 200
    assert response.context["form"].errors["workbook"] == [
        spreadsheets.FILE_TOO_LARGE.format(size="0.0 MB", limit="0.0 MB")
    ]
    assert WorkbookUpload.objects.count() == 0


# --- The preview cannot be forged --------------------------------------------------------------


@pytest.fixture
def previewed(client, role_users):
    """A clean roster uploaded by payroll, previewed and not yet confirmed."""
    client.force_login(role_users[Role.PAYROLL])
    post_upload(client, "organisation:roster-upload", xlsx(roster()))
    return WorkbookUpload.objects.get()


def confirm(client, upload, digest=None):
    return client.post(
        reverse("organisation:workbook-confirm", kwargs={"token": upload.token}),
        {"sha256": upload.sha256 if digest is None else digest},
        follow=True,
    )


def test_confirm_by_another_user_is_refused(client, previewed, make_user):
    client.force_login(make_user("payroll-2", Role.PAYROLL))

    response = confirm(client, previewed)

    assert response.status_code == 404
    assert Employee.objects.count() == 0


def test_administrator_sees_anyones_preview_but_cannot_confirm_it(client, previewed, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])
    url = reverse("organisation:workbook-preview", kwargs={"token": previewed.token})

    page = client.get(url)

    assert page.status_code == 200
    assert b"Only user-payroll, who uploaded this workbook, can confirm it." in page.content
    assert confirm(client, previewed).status_code == 404
    assert Employee.objects.count() == 0


def test_confirm_of_altered_bytes_is_refused(client, previewed):
    sheets = org("Employees")
    sheets["Employees"][1][2] = "Forged"
    WorkbookUpload.objects.filter(pk=previewed.pk).update(content=xlsx(sheets))

    response = confirm(client, previewed)

    assert services.UPLOAD_ALTERED in response.content.decode().replace("&#x27;", "'")
    assert Employee.objects.count() == 0


def test_confirm_with_another_fingerprint_is_refused(client, previewed):
    response = confirm(client, previewed, digest="0" * 64)

    assert services.UPLOAD_ALTERED in response.content.decode().replace("&#x27;", "'")
    assert Employee.objects.count() == 0


def test_confirm_of_expired_upload_is_refused(client, previewed):
    old = timezone.now() - datetime.timedelta(minutes=61)
    WorkbookUpload.objects.filter(pk=previewed.pk).update(uploaded_at=old)

    response = confirm(client, previewed)

    assert services.UPLOAD_EXPIRED.format(minutes=60) in response.content.decode()
    assert Employee.objects.count() == 0


def test_confirm_twice_imports_once(client, previewed):
    confirm(client, previewed)
    history = Employee.history.count()

    response = confirm(client, previewed)

    assert "This workbook was already imported on" in response.content.decode()
    assert Employee.history.count() == history


def test_confirm_refuses_when_records_changed_since_the_preview(client, previewed):
    services.workbook_import(
        data=xlsx({"Employees": org("Employees")["Employees"][:2]}), file_name="other.xlsx"
    )

    response = confirm(client, previewed)

    assert "this is the new preview" in response.content.decode()
    assert Employee.objects.count() == 1  # nothing more was written
    previewed.refresh_from_db()
    assert previewed.preview["summary"] == [
        {"sheet": "Employees", "created": 3, "updated": 0, "unchanged": 1}
    ]
    confirm(client, previewed)  # the new preview can be confirmed
    assert Employee.objects.count() == 4


def test_confirm_get_goes_back_to_the_preview(client, previewed):
    response = client.get(
        reverse("organisation:workbook-confirm", kwargs={"token": previewed.token})
    )

    assert response.status_code == 302
    assert Employee.objects.count() == 0


def test_administrator_uploads_the_sample_workbook(client, role_users):
    client.force_login(role_users[Role.ADMINISTRATOR])

    response = post_upload(client, "organisation:workbook-upload", SAMPLE.read_bytes(), SAMPLE.name)
    page = client.get(response["Location"])

    assert page.context["problems"] == [] and page.context["warnings"] == []
    assert page.context["totals"] == {"created": 1469, "updated": 0, "unchanged": 0}


def test_preview_lists_at_most_a_thousand_problems(client, role_users, monkeypatch):
    monkeypatch.setattr(services, "PREVIEW_PROBLEMS", 1)
    client.force_login(role_users[Role.PAYROLL])
    sheets = roster()
    for row in sheets["Employees"][1:]:
        row[7] = "someday"

    response = post_upload(client, "organisation:roster-upload", xlsx(sheets))
    page = client.get(response["Location"])

    assert page.context["problems"] == [
        "Employees!H2 (hire_date): someday is not a date",
        services.MORE_PROBLEMS.format(n=3),
    ]
