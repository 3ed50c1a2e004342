"""Large uploads in the background: the check and the confirmed import run as jobs with a
progress bar (rows read, sheet by sheet), lead to the same preview and the same import as in
the request, and a double click or a second tab starts one import only."""

import datetime

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job
from core.roles import Role
from core.spreadsheets.reading import Limits, count_rows, streamed_workbook
from organisation import services
from organisation.models import WorkbookUpload
from organisation.views import CHECK_UNFINISHED
from skills.models import Employee
from tests.organisation.test_workbook_support import xlsx
from tests.organisation.test_workbook_views import post_upload, roster

pytestmark = pytest.mark.django_db

LIMITS = Limits(max_bytes=10**7, max_uncompressed_bytes=10**8, max_entries=100, max_rows=1000)


@pytest.fixture
def in_background(settings):
    """Every upload is large enough for a background job."""
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_BYTES": 0}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_rows_are_counted_sheet_by_sheet_against_the_files_own_totals():
    data = xlsx({"One": [["a"], [1], [2]], "Two": [["b"], [3]]})
    heard = []
    with streamed_workbook(data, LIMITS) as book:
        count_rows(book, lambda done, total, stage: heard.append((done, total, stage)))
        for sheet in book.sheets:
            list(sheet.iter_rows())
    assert heard == [
        (0, 3, "Reading sheet One"),
        (1, 3, "Reading sheet One"),
        (2, 3, "Reading sheet One"),
        (2, 3, "Reading sheet Two"),
        (3, 3, "Reading sheet Two"),
    ]


def test_a_throttled_reporter_does_not_write_every_row_when_the_total_is_unknown():
    heard = []
    report = jobs.every(2, lambda done, total, stage: heard.append(done), seconds=0)
    for done in range(1, 6):
        report(done, 0, "rows")
    assert heard == [2, 4]


def test_a_large_roster_is_checked_by_a_job_into_the_same_preview(
    client, role_users, in_background, settings, django_capture_on_commit_callbacks
):
    client.force_login(role_users[Role.PAYROLL])
    data = xlsx(roster())
    with django_capture_on_commit_callbacks(execute=True):
        started = post_upload(client, "organisation:roster-upload", data)

    upload = WorkbookUpload.objects.get()
    job = Job.objects.get()
    assert started["Location"] == reverse("core:job", args=[job.token])
    preview_url = reverse("organisation:workbook-preview", args=[upload.token])
    assert (job.kind, job.status, job.result_url, job.title) == (
        "workbook-check",
        "done",
        preview_url,
        "Checking roster.xlsx",
    )
    assert (job.done, job.total) == (4, 4), "rows read of the rows the sheet has"
    page = client.get(started["Location"]).content.decode()
    assert "Open the preview" in page and "Download" not in page
    status = client.get(reverse("core:job-status", args=[job.token])).json()
    assert (status["page"], status["download"]) == (preview_url, "")
    assert client.get(reverse("core:job-download", args=[job.token])).status_code == 404

    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_BYTES": 10**9}
    post_upload(client, "organisation:roster-upload", data)
    in_request = WorkbookUpload.objects.exclude(pk=upload.pk).get()
    upload.refresh_from_db()
    assert upload.preview == in_request.preview
    assert client.get(preview_url).context["summary"] == [
        {"sheet": "Employees", "created": 4, "updated": 0, "unchanged": 0}
    ]


def test_a_preview_still_being_checked_shows_the_job_and_cannot_be_confirmed(
    client, role_users, in_background
):
    client.force_login(role_users[Role.PAYROLL])
    started = post_upload(client, "organisation:roster-upload", xlsx(roster()))  # not run yet
    upload = WorkbookUpload.objects.get()
    preview_url = reverse("organisation:workbook-preview", args=[upload.token])

    assert client.get(preview_url)["Location"] == started["Location"]
    page = client.get(started["Location"]).content.decode()
    assert "Waiting for a worker" in page
    confirmed = client.post(
        reverse("organisation:workbook-confirm", args=[upload.token]),
        {"sha256": upload.sha256},
        follow=True,
    )
    assert services.UPLOAD_NOT_CHECKED in messages_of(confirmed)
    assert Employee.objects.count() == 0

    Job.objects.update(status=Job.Status.FAILED, error="The job stopped with an error: boom.")
    page = client.get(preview_url)
    assert page.context["problems"] == ["The job stopped with an error: boom."]
    Job.objects.all().delete()
    assert client.get(preview_url).context["problems"] == [CHECK_UNFINISHED]


def confirm(client, upload):
    return client.post(
        reverse("organisation:workbook-confirm", args=[upload.token]), {"sha256": upload.sha256}
    )


@pytest.fixture
def checked(client, role_users, in_background, django_capture_on_commit_callbacks):
    """A large roster uploaded by payroll and checked by its job, not yet confirmed."""
    client.force_login(role_users[Role.PAYROLL])
    with django_capture_on_commit_callbacks(execute=True):
        post_upload(client, "organisation:roster-upload", xlsx(roster()))
    return WorkbookUpload.objects.get()


def test_a_large_roster_is_imported_by_a_job_and_the_preview_says_so(
    client, role_users, checked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        started = confirm(client, checked)

    job = Job.objects.get(kind="workbook-confirm")
    assert started["Location"] == reverse("core:job", args=[job.token])
    assert (job.status, job.title, job.percent) == ("done", "Importing roster.xlsx", 100)
    assert Employee.objects.count() == 4
    payroll = role_users[Role.PAYROLL]
    assert set(Employee.history.values_list("history_user", flat=True)) == {payroll.pk}
    assert job.result_url.endswith("?after=confirm")
    assert "Open the import" in client.get(started["Location"]).content.decode()
    page = client.get(job.result_url)
    assert messages_of(page) == ["Imported roster.xlsx: 4 rows created, 0 updated, 0 unchanged."]
    assert "Imported: roster.xlsx" in page.content.decode()


def test_a_double_click_on_confirm_starts_one_import(client, checked):
    first = confirm(client, checked)  # queued: no worker has taken it yet
    second = confirm(client, checked)

    assert first["Location"] == second["Location"]
    assert Job.objects.filter(kind="workbook-confirm").count() == 1


def test_an_import_job_refused_says_why_alone(client, checked, django_capture_on_commit_callbacks):
    started = confirm(client, checked)
    job = Job.objects.get(kind="workbook-confirm")
    old = timezone.now() - datetime.timedelta(minutes=61)
    WorkbookUpload.objects.filter(pk=checked.pk).update(uploaded_at=old)

    from organisation.tasks import workbook_confirm_job

    status = workbook_confirm_job.call(
        str(job.token), upload=str(checked.token), user=checked.uploaded_by_id,
        digest=checked.sha256,
    )  # fmt: skip

    assert status == "failed"
    job.refresh_from_db()
    assert job.error == services.UPLOAD_EXPIRED.format(minutes=60)
    assert Employee.objects.count() == 0
    assert (
        services.UPLOAD_EXPIRED.format(minutes=60)
        in client.get(started["Location"]).content.decode()
    )


def test_a_second_run_of_the_import_job_writes_nothing_more(
    client, checked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, checked)
    job = Job.objects.get(kind="workbook-confirm")
    history = Employee.history.count()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)  # as if retried mid-way

    from organisation.tasks import workbook_confirm_job

    workbook_confirm_job.call(
        str(job.token), upload=str(checked.token), user=checked.uploaded_by_id,
        digest=checked.sha256,
    )  # fmt: skip

    job.refresh_from_db()
    assert job.status == "failed" and "already imported" in job.error
    assert Employee.history.count() == history


def test_a_job_whose_worker_died_is_marked_failed_when_looked_at(client, role_users, settings):
    owner = role_users[Role.PAYROLL]
    job = Job.objects.create(
        owner=owner, kind="workbook-check", title="Checking big.xlsx", status="running",
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=16),
    )  # fmt: skip
    client.force_login(owner)

    status = client.get(reverse("core:job-status", args=[job.token])).json()

    assert status["status"] == "failed"
    assert status["error"] == jobs.STALE_TEXT.format(minutes=15)
    fresh = Job.objects.create(
        owner=owner, kind="t", title="t", status="running", heartbeat_at=timezone.now()
    )
    assert client.get(reverse("core:job-status", args=[fresh.token])).json()["status"] == "running"


def test_the_workbook_written_by_a_job_reports_each_sheet(role_users):
    data = xlsx(roster())
    heard = []
    result = services.workbook_import(
        data=data, file_name="r.xlsx", kind="roster",
        progress=lambda done, total, stage: heard.append((done, total, stage)),
    )  # fmt: skip
    assert result.written
    assert "Reading sheet Employees" in {stage for _, _, stage in heard}
    assert heard[-1] == (4, 4, "Written")
    assert (0, 4, "Writing sheet Employees") in heard
    assert openpyxl  # the reader the rows came through


def test_the_upload_page_says_which_files_go_to_the_background(client, role_users):
    from organisation.views import size_text

    assert (size_text(256 * 1024), size_text(3 * 1024 * 1024 // 2)) == ("256 KB", "1.5 MB")
    client.force_login(role_users[Role.PAYROLL])
    page = client.get(reverse("organisation:roster-upload")).content.decode()
    assert "A file over 256 KB is checked in the background" in page
