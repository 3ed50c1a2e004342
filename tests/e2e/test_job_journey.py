"""Job journey: a manager downloads a team too large for one request; the download runs as a
background job whose page shows its progress and then the file, and "Your recent jobs" keeps
it for later."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.test_trainer_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_large_team_download_runs_in_the_background(
    live_server, page: Page, settings, tmp_path, screenshot_dir
):
    call_command("seed_demo", stdout=io.StringIO())
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_ROWS": 20}  # the demo has ~90 people
    sign_in(page, live_server.url, "manager")
    page.goto(live_server.url + reverse("certificates:team"))
    page.get_by_role("link", name="Download .xlsx").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Team download (")
    job = page.locator("[data-job]")
    expect(job.locator("[data-job-label]")).to_have_text("Ready")
    bar = job.get_by_role("progressbar")
    assert bar.get_attribute("aria-valuenow") == bar.get_attribute("aria-valuemax") != "0"
    page.screenshot(path=screenshot_dir / "job.png", full_page=True)
    with page.expect_download() as caught:
        job.get_by_role("link", name="Download team-").click()
    caught.value.save_as(tmp_path / "team.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "team.xlsx").active
    assert sheet.max_row > 20

    page.locator("details.usermenu > summary").click()
    page.locator("details.usermenu").get_by_role("link", name="Your recent jobs").click()
    expect(page.get_by_role("link", name="Team download (")).to_be_visible()
