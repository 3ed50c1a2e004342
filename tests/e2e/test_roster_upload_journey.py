"""Roster journey: payroll uploads a roster with two mistakes, sees both cells named, fixes them,
uploads again, confirms, and the people are in the tracker with payroll as the author."""

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
