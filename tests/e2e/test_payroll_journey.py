"""Browser journey: payroll opens a period, filters to lapsed rows, downloads, closes it."""

import io

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from certificates.models import PayPeriod
from tests.certificates import conftest as certificate_fixtures
from tests.e2e.test_progress_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

walk = certificate_fixtures.walk


def test_payroll_filters_lapsed_rows_downloads_and_closes(
    live_server, page: Page, walk, make_user, screenshot_dir
):
    make_user("clerk", "payroll")
    sign_in(page, live_server.url, "clerk")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Payroll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pay differentials")

    page.get_by_label("Pay period", exact=True).select_option("2026-01-29")
    page.get_by_label("Lapsed only").check()
    page.get_by_role("button", name="Apply").click()
    row = page.get_by_role("row").filter(has_text="E1")
    expect(row).to_contain_text("TONE: level 0 of 3 needed")
    expect(row).to_contain_text("REMOVED")
    page.screenshot(path=screenshot_dir / "payroll-lapsed.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download .xlsx").click()
    assert download.value.suggested_filename == "pay-differentials-2026-01-29.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book["Pay differentials"]["K2"].value == "REMOVED"

    page.get_by_label("Pay period", exact=True).select_option("2026-01-01")
    page.get_by_label("Lapsed only").uncheck()
    page.get_by_role("button", name="Apply").click()
    page.get_by_role("button", name="Close this period").click()
    expect(page.get_by_text("1 rows frozen")).to_be_visible()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()
    assert PayPeriod.objects.get(start="2026-01-01").is_closed
