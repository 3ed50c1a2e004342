"""Roster journey: payroll uploads a roster with two mistakes, sees both cells named, fixes them,
uploads again, confirms, and the people are in the tracker with payroll as the author."""

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from core.roles import Role
from skills.models import Employee
from tests.factories.skills import DepartmentFactory
from tests.organisation.test_workbook_support import org, xlsx

# serialized_rollback: the flush after this test must not leave later tests without the role
# groups that the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pw-for-tests-only"


def test_roster_upload_journey(live_server, page: Page, make_user, tmp_path, screenshot_dir):
    payroll = make_user("pay-clerk", Role.PAYROLL)
    DepartmentFactory(code="CC-GEN", side="front")
    DepartmentFactory(code="BO-BILL", side="back")
    sheets = org("Employees")
    good = xlsx(sheets)
    sheets["Employees"][2][7] = "2021-02-30"  # E101's hire date does not exist
    sheets["Employees"][4][4] = "BO-BIL"  # E103's department is misspelt
    (tmp_path / "roster.xlsx").write_bytes(xlsx(sheets))
    (tmp_path / "roster-fixed.xlsx").write_bytes(good)
    base = live_server.url

    page.goto(base + reverse("login"))
    page.get_by_label("Username", exact=True).fill(payroll.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import the payroll roster")

    page.get_by_label("Workbook (.xlsx)").set_input_files(tmp_path / "roster.xlsx")
    page.get_by_role("button", name="Check the workbook").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Refused: roster.xlsx")
    problems = page.locator(".problem-list li")
    expect(problems).to_have_text(
        [
            "Employees!H3 (hire_date): 2021-02-30 is not a date",
            "Employees!E5 (department_code): unknown department BO-BIL",
        ]
    )
    expect(page.get_by_role("button", name="Import roster.xlsx")).to_have_count(0)
    page.screenshot(path=screenshot_dir / "roster-refused.png", full_page=True)
    assert Employee.objects.count() == 0

    page.get_by_role("link", name="Upload the corrected file").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(tmp_path / "roster-fixed.xlsx")
    page.get_by_role("button", name="Check the workbook").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: roster-fixed.xlsx")
    row = page.locator(".workbook-summary tbody tr")
    expect(row.locator("th, td")).to_have_text(["Employees", "4", "0", "0"])
    page.screenshot(path=screenshot_dir / "roster-preview.png", full_page=True)
    assert Employee.objects.count() == 0

    page.get_by_role("button", name="Import roster-fixed.xlsx").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: roster-fixed.xlsx")
    expect(page.locator(".message--success")).to_contain_text(
        "Imported roster-fixed.xlsx: 4 rows created, 0 updated, 0 unchanged."
    )
    page.screenshot(path=screenshot_dir / "roster-imported.png", full_page=True)
    assert sorted(Employee.objects.values_list("employee_number", flat=True)) == [
        "E100",
        "E101",
        "E102",
        "E103",
    ]
    assert set(Employee.history.values_list("history_user", flat=True)) == {payroll.pk}

    # The next roster starts from the current one: downloaded, edited, uploaded back.
    with page.expect_download() as caught:
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Import").click()
        page.get_by_role("link", name="Download the current roster").click()
    assert caught.value.suggested_filename.startswith("roster-")
    caught.value.save_as(tmp_path / "current.xlsx")
    book = openpyxl.load_workbook(tmp_path / "current.xlsx")
    sheet = book["Employees"]
    column = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, column["employee_number"]).value: r for r in range(2, sheet.max_row + 1)}
    sheet.cell(rows["E101"], column["shift"]).value = "night"
    sheet.cell(rows["E102"], column["manager_number"]).value = None  # blank: the manager stays
    book.save(tmp_path / "roster-next.xlsx")

    page.get_by_label("Workbook (.xlsx)").set_input_files(tmp_path / "roster-next.xlsx")
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.locator("#changes-title")).to_have_text("1 value of existing records would change")
    expect(page.locator(".changes-table tbody tr")).to_have_count(1)
    expect(page.locator(".changes-table tbody tr").first).to_contain_text("shift")
    page.screenshot(path=screenshot_dir / "roster-changes.png", full_page=True)

    # Ticking "blank cells clear values" calls out the manager that would be cleared.
    page.get_by_role("link", name="Upload another file").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(tmp_path / "roster-next.xlsx")
    page.get_by_label("Blank cells clear values").check()
    page.get_by_role("button", name="Check the workbook").click()
    expect(page.locator("#changes-title")).to_have_text("2 values of existing records would change")
    expect(page.get_by_text("1 value would be cleared")).to_be_visible()
    page.screenshot(path=screenshot_dir / "roster-changes-cleared.png", full_page=True)
    expect(page.locator(".changes-table")).to_contain_text("cleared")
    assert Employee.objects.get(employee_number="E102").manager.employee_number == "E101"
