"""What an import changes in existing records: blank cells keep values unless the uploader asks
otherwise, absent columns change nothing, the preview lists every change (cleared values and
terminations called out) and offers the list as a download, and a row whose number belongs to
someone else is refused in one line."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from core.spreadsheets.reading import read_workbook
from organisation import services
from organisation.models import WorkbookUpload
from organisation.workbook import Change, Kind, workbook_changes, workbook_check
from skills.models import Employee
from skills.workbook import SOMEONE_ELSE
from tests.organisation.test_workbook_support import LIMITS, TODAY, org, problems, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported():
    """The small organisation's departments and people, in the tracker."""
    result = services.workbook_import(data=xlsx(org("Departments", "Employees")), file_name="o")
    assert result.written, result.problems


def roster(change=None, *, drop: str | None = None) -> dict:
    sheets = org("Employees")
    if change:
        change(sheets["Employees"])
    if drop:
        column = sheets["Employees"][0].index(drop)
        sheets["Employees"] = [row[:column] + row[column + 1 :] for row in sheets["Employees"]]
    return sheets


def changes_of(sheets: dict, *, blank_clears: bool = False) -> list[Change]:
    book = read_workbook(xlsx(sheets), LIMITS)
    check = workbook_check(book, kind=Kind.ROSTER, today=TODAY, blank_clears=blank_clears)
    assert not check.report.problems, [str(p) for p in check.report.problems]
    return workbook_changes(check)


def blank_manager(rows):
    rows[2][9] = None  # E101's manager E100


def test_a_blank_cell_keeps_the_value_by_default(imported):
    assert changes_of(roster(blank_manager)) == []


def test_a_blank_cell_clears_the_value_when_asked(imported):
    assert changes_of(roster(blank_manager), blank_clears=True) == [
        Change("Employees", 3, "E101 Zoë Ødegård", "manager_number", "E100", "", cleared=True)
    ]


def test_an_absent_column_changes_nothing_even_when_blanks_clear(imported):
    assert changes_of(roster(drop="manager_number"), blank_clears=True) == []
    assert changes_of(roster(drop="shift"), blank_clears=True) == []


def test_changes_list_old_and_new_values_and_call_out_terminations(imported):
    def edit(rows):
        rows[1][3] = "ana@example.org"  # E100 e100@x.test -> ana@example.org
        rows[2][6] = "night"  # E101 evening -> night
        rows[3][8] = datetime.date(2026, 1, 31)  # E102 leaves

    assert changes_of(roster(edit)) == [
        Change("Employees", 2, "E100 Ana Silva", "email", "e100@x.test", "ana@example.org"),
        Change("Employees", 3, "E101 Zoë Ødegård", "shift", "evening", "night"),
        Change(
            "Employees",
            4,
            "E102 Łukasz Nowak",
            "termination_date",
            "",
            "2026-01-31",
            terminated=True,
        ),
    ]


def test_a_row_whose_number_is_someone_else_is_refused_in_one_line(imported):
    def someone_else(rows):
        rows[2][1:3] = ["Jan", "Novák"]
        rows[2][7] = "2024-06-03"

    found = problems(roster(someone_else), kind=Kind.ROSTER)

    assert found == [
        "Employees!A3 (employee_number): "
        + SOMEONE_ELSE.format(
            number="E101",
            name="Zoë Ødegård",
            hired="2021-03-01",
            new="Jan Novák",
            new_hired="2024-06-03",
        )
    ]


def test_a_new_name_alone_is_a_rename_not_someone_else(imported):
    def married(rows):
        rows[2][2] = "Ødegård-Berg"

    assert [c.column for c in changes_of(roster(married))] == ["last_name"]


# --- The pages ---------------------------------------------------------------------------------


def upload(client, sheets: dict, **extra):
    data = {"workbook": SimpleUploadedFile("roster.xlsx", xlsx(sheets)), **extra}
    client.post(reverse("organisation:roster-upload"), data)
    return WorkbookUpload.objects.latest("uploaded_at")


def test_preview_lists_cleared_values_and_terminations(client, role_users, imported):
    def edit(rows):
        rows[2][9] = None
        rows[3][8] = datetime.date(2026, 1, 31)

    client.force_login(role_users[Role.PAYROLL])
    previewed = upload(client, roster(edit), blank_clears="on")

    page = client.get(reverse("organisation:workbook-preview", kwargs={"token": previewed.token}))

    text = page.content.decode()
    assert previewed.blank_clears
    assert "2 values of existing records would change" in text
    assert "1 value would be cleared" in text and "E101 Zoë Ødegård (manager_number: E100)" in text
    assert "1 person would be terminated" in text
    assert "E102 Łukasz Nowak (last day 2026-01-31)" in text


def test_by_default_the_preview_says_blank_cells_keep_values(client, role_users, imported):
    client.force_login(role_users[Role.PAYROLL])
    previewed = upload(client, roster(blank_manager))

    page = client.get(reverse("organisation:workbook-preview", kwargs={"token": previewed.token}))

    assert not previewed.blank_clears
    assert "No existing record would change" in page.content.decode()
    assert "Blank cells keep what the tracker has" in page.content.decode()


def test_confirm_imports_with_the_uploaders_choice(client, role_users, imported):
    client.force_login(role_users[Role.PAYROLL])
    previewed = upload(client, roster(blank_manager), blank_clears="on")

    client.post(
        reverse("organisation:workbook-confirm", kwargs={"token": previewed.token}),
        {"sha256": previewed.sha256},
    )

    assert Employee.objects.get(employee_number="E101").manager is None


def test_confirm_refuses_when_the_listed_changes_no_longer_hold(client, role_users, imported):
    def new_email(rows):
        rows[2][3] = "zoe@example.org"

    client.force_login(role_users[Role.PAYROLL])
    previewed = upload(client, roster(new_email))
    # Same counts (one person updated), other values: the preview no longer says what happens.
    Employee.objects.filter(employee_number="E101").update(shift="night")

    response = client.post(
        reverse("organisation:workbook-confirm", kwargs={"token": previewed.token}),
        {"sha256": previewed.sha256},
        follow=True,
    )

    assert "this is the new preview" in response.content.decode()
    assert Employee.objects.get(employee_number="E101").email == ""


def test_the_change_list_downloads_for_the_uploader_only(client, role_users, make_user, imported):
    client.force_login(role_users[Role.PAYROLL])
    previewed = upload(client, roster(blank_manager), blank_clears="on")
    url = reverse("organisation:workbook-changes", kwargs={"token": previewed.token})

    response = client.get(url)

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Changes"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Sheet", "Row", "Record", "Column", "Before", "After", "What"],
        ["Employees", 3, "E101 Zoë Ødegård", "manager_number", "E100", None, "Cleared"],
    ]
    for role, user in role_users.items():
        client.force_login(user)
        expected = 200 if role in (Role.PAYROLL, Role.ADMINISTRATOR) else 403
        assert client.get(url).status_code == expected, role
    client.force_login(make_user("payroll-2", Role.PAYROLL))
    assert client.get(url).status_code == 404  # someone else's upload
