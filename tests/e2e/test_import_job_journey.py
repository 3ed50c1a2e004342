"""Large import journey: an administrator uploads a large workbook; its check runs as a
background job whose page moves its progress bar (rows read of rows in all, sheet by sheet)
without a reload and then opens the preview; confirming imports it in another job, whose page
leads back to the preview saying what was imported."""

import datetime
import threading

import pytest
from django.db import connections
from django.urls import reverse
from playwright.sync_api import Page, expect

from core import jobs
from core.models import Job
from core.roles import Role
from organisation import tasks
from skills.models import Employee
from tests.factories.skills import DepartmentFactory
from tests.organisation.test_workbook_support import org, xlsx

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "pw-for-tests-only"
PEOPLE = 1500


def large_roster() -> bytes:
    """The Employees sheet of PEOPLE people."""
    header = org("Employees")["Employees"][0]
    rows = [
        [f"E{5000 + n}", f"First{n}", f"Last{n}", "", "CC-GEN" if n % 2 else "BO-BILL", "",
         "day", datetime.date(2020, 1, 6), None, None]
        for n in range(PEOPLE)
    ]  # fmt: skip
    return xlsx({"Employees": [header, *rows]})


def test_a_large_workbook_is_checked_and_imported_in_the_background(
    live_server, page: Page, make_user, settings, monkeypatch, tmp_path, screenshot_dir
):
    admin = make_user("admin-one", Role.ADMINISTRATOR)
    DepartmentFactory(code="CC-GEN", side="front")
    DepartmentFactory(code="BO-BILL", side="back")
    (tmp_path / "everyone.xlsx").write_bytes(large_roster())
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_BYTES": 1024}
    # The check waits for a worker: this test is the worker, and stops it once mid-way.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    every = jobs.every
    monkeypatch.setattr(tasks, "REPORT_EVERY", 100)
    monkeypatch.setattr(jobs, "every", lambda step, report, seconds=1.0: every(step, report, 0))
    mid_way, go_on = threading.Event(), threading.Event()
    progress_of = jobs.progress_of

    def pausing(token):
        report, close = progress_of(token)

        def paused(done, total, stage):
            report(done, total, stage)
            if done and not mid_way.is_set():
                mid_way.set()
                go_on.wait(30)

        return paused, close

    monkeypatch.setattr(jobs, "progress_of", pausing)

    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username", exact=True).fill(admin.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server.url + reverse("organisation:workbook-upload"))
    page.get_by_label("Workbook (.xlsx)").set_input_files(tmp_path / "everyone.xlsx")
    page.get_by_role("button", name="Check the workbook").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Checking everyone.xlsx")
    job_box = page.locator("[data-job]")
    expect(job_box.locator("[data-job-label]")).to_have_text("Waiting for a worker")

    check = Job.objects.get(kind="workbook-check")
    # An in-memory SQLite test database lives in one connection: the worker borrows it, as
    # the live server does; on a database server the worker has its own.
    own = connections["default"]
    shared = own if own.vendor == "sqlite" and own.is_in_memory_db() else None

    def worker():
        if shared is not None:
            shared.inc_thread_sharing()
            connections["default"] = shared
        try:
            tasks.workbook_check_job.call(str(check.token), upload=check.subject)
        finally:
            if shared is not None:
                shared.dec_thread_sharing()
            else:
                connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert mid_way.wait(30), "the check reported no progress"
        expect(job_box.locator("[data-job-label]")).to_have_text("Running")
        expect(job_box.locator("[data-job-stage]")).to_have_text("Reading sheet Employees")
        expect(job_box.locator(".progress__label")).to_contain_text(f"100 of {PEOPLE:,}")
        bar = job_box.get_by_role("progressbar")
        expect(bar).to_have_attribute("aria-valuenow", "100")
        expect(bar).to_have_attribute("aria-valuemax", str(PEOPLE))
        page.screenshot(path=screenshot_dir / "import-job-running.png", full_page=True)
    finally:
        go_on.set()
        thread.join(60)

    # Finished while watched: the page opens the preview by itself.
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview: everyone.xlsx")
    expect(page.locator(".workbook-summary tfoot")).to_contain_text(str(PEOPLE))
    assert Employee.objects.count() == 0

    # The import: run by the request's own worker this time (the immediate backend).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page.get_by_role("button", name="Import everyone.xlsx").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importing everyone.xlsx")
    expect(page.locator("[data-job] [data-job-label]")).to_have_text("Ready")
    page.screenshot(path=screenshot_dir / "import-job-done.png", full_page=True)
    page.get_by_role("link", name="Open the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Imported: everyone.xlsx")
    expect(page.locator(".messages [role=status]")).to_contain_text(
        f"Imported everyone.xlsx: {PEOPLE} rows created"
    )
    assert Employee.objects.count() == PEOPLE

    page.locator("details.usermenu > summary").click()
    page.locator("details.usermenu").get_by_role("link", name="Your recent jobs").click()
    expect(page.get_by_role("link", name="Checking everyone.xlsx")).to_be_visible()
    expect(page.get_by_role("link", name="Open the preview")).to_be_visible()
