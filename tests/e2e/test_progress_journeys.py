"""Browser journeys of the progress pages: my progress, the team table and download, coverage."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.certificates import conftest as certificate_fixtures
from tests.certificates import worlds
from tests.factories.skills import SignoffFactory, SkillFactory

# serialized_rollback: the flush after each journey must not leave later tests without the role
# groups that the migrations create.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pw-for-tests-only"  # tests/conftest.py make_user
tier_world = certificate_fixtures.tier_world
progress_world = worlds.progress_world


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + reverse("login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(base_url + reverse("core:home"))


def test_employee_opens_my_progress_and_sees_the_gap_to_the_next_tier(
    live_server, page: Page, progress_world, screenshot_dir
):
    sign_in(page, live_server.url, "ada")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My progress").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My progress")
    expect(page.get_by_role("heading", name="Next: Tier II")).to_be_visible()
    gap = page.get_by_role("progressbar", name="DEESC: level 2 of 3 needed")
    expect(gap).to_be_visible()
    expect(gap).to_have_attribute("aria-valuenow", "2")
    expect(page.get_by_text("Skills still to reach")).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Training hours by host department"))
    ).to_be_visible()
    expect(page.get_by_text("Bo Buddy")).to_be_visible()
    page.screenshot(path=screenshot_dir / "my-progress.png", full_page=True)


def test_manager_filters_ready_to_certify_and_downloads_it(
    live_server, page: Page, progress_world, make_user, screenshot_dir
):
    make_user("boss", "manager")
    sign_in(page, live_server.url, "boss")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team progress")

    page.get_by_label("Ready to certify").check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"ready=on"))
    rows = page.locator("table.team-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ben Tester")
    expect(rows.first).to_contain_text("Ready to certify")
    page.screenshot(path=screenshot_dir / "team-ready.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .xlsx").click()
    download = download_info.value
    assert re.fullmatch(r"team-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    book = openpyxl.load_workbook(io.BytesIO(open(download.path(), "rb").read()))  # noqa: SIM115
    sheet = book.active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Employee number", "Last name", "First name"]
    assert [row[0] for row in values[1:]] == ["E50002"]


def test_coverage_page_highlights_a_single_point_of_failure(
    live_server, page: Page, progress_world, make_user, screenshot_dir
):
    rare = SkillFactory(
        code="BILL-RARE", name="Rare billing cases", department=progress_world["back"]
    )
    SignoffFactory(employee=progress_world["dee"], skill=rare, assessed_on=worlds.days_ago(3))
    make_user("boss", "manager")
    sign_in(page, live_server.url, "boss")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Department coverage")

    spof = page.locator("tr.is-spof")
    expect(spof).to_have_count(1)
    expect(spof).to_contain_text("BILL-RARE")
    expect(spof.get_by_text("Single point of failure")).to_be_visible()
    background = spof.evaluate("row => getComputedStyle(row).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), background
    page.screenshot(path=screenshot_dir / "coverage-spof.png", full_page=True)

    page.get_by_role("link", name="Who can help BO-BILL today").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Who can help")
    expect(page.locator("table tbody tr").first).to_contain_text("Tester")
