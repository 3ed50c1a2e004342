"""Background jobs (core.jobs): progress, result, failure, run twice, expiry, who sees them;
and the team download that runs as one above JOB_ABOVE_ROWS."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import Job
from core.roles import Role

pytestmark = pytest.mark.django_db


def make_job(owner, **extra) -> Job:
    return Job.objects.create(owner=owner, kind="test", title="A test job", **extra)


def test_a_throttled_reporter_writes_every_step_and_the_last():
    heard = []
    report = jobs.every(3, lambda done, total, stage: heard.append(done), seconds=0)
    for done in range(1, 8):
        report(done, 7, "rows")
    assert heard == [3, 6, 7]


def test_a_throttled_reporter_writes_at_most_once_a_period_but_always_the_last():
    heard = []
    report = jobs.every(1, lambda done, total, stage: heard.append(done), seconds=3600)
    for done in range(1, 8):
        report(done, 7, "rows")
    assert heard == [1, 7]


def test_a_job_reports_progress_then_keeps_its_result(role_users):
    job = make_job(role_users[Role.MANAGER])
    seen = []

    def work(progress):
        progress(5, 10, "Writing the rows")
        seen.append(Job.objects.get(pk=job.pk))
        return b"data", "out.txt", "text/plain"

    assert jobs.run(str(job.token), work) == Job.Status.DONE
    assert (seen[0].status, seen[0].done, seen[0].total, seen[0].percent) == ("running", 5, 10, 50)
    job.refresh_from_db()
    assert (job.status, bytes(job.result), job.result_name, job.percent) == (
        "done",
        b"data",
        "out.txt",
        100,
    )
    # Run again (a retried task): nothing is done twice.
    assert jobs.run(str(job.token), lambda progress: pytest.fail("ran twice")) == "done"


def test_a_failed_job_says_why_and_the_task_hears_it_too(role_users):
    job = make_job(role_users[Role.MANAGER])

    def work(progress):
        raise ValueError("the disk is full")

    with pytest.raises(ValueError):
        jobs.run(str(job.token), work)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == jobs.FAILED_TEXT.format(error="the disk is full")


def test_starting_a_job_deletes_expired_ones(role_users, django_capture_on_commit_callbacks):
    old = make_job(role_users[Role.MANAGER])
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))

    class Task:
        def enqueue(self, token, **kwargs):
            self.token = token

    task = Task()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start(owner=role_users[Role.MANAGER], kind="t", title="t", task=task)
    assert task.token == str(job.token)
    assert list(Job.objects.all()) == [job]


def test_a_job_is_its_owners_and_administrators_only(client, role_users, make_user):
    job = make_job(
        role_users[Role.MANAGER], status="done", result=b"x", result_name="x.txt",
        result_type="text/plain",
    )  # fmt: skip
    urls = [
        reverse("core:job", args=[job.token]),
        reverse("core:job-status", args=[job.token]),
        reverse("core:job-download", args=[job.token]),
    ]
    for user, status in (
        (role_users[Role.MANAGER], 200),
        (role_users[Role.ADMINISTRATOR], 200),
        (make_user("other-manager", Role.MANAGER), 404),
        (role_users[Role.EMPLOYEE], 404),
    ):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [status] * 3, user
    client.force_login(role_users[Role.MANAGER])
    assert client.get(urls[1]).json()["download"] == urls[2]
    listed = client.get(reverse("core:jobs")).content.decode()
    assert "A test job" in listed and "Download" in listed
    client.force_login(make_user("someone", Role.TRAINER))
    assert "A test job" not in client.get(reverse("core:jobs")).content.decode()


def test_a_large_team_download_runs_as_a_job_with_the_same_workbook(
    client, role_users, settings, django_capture_on_commit_callbacks
):
    from tests.factories.skills import EmployeeFactory

    EmployeeFactory.create_batch(4)
    client.force_login(role_users[Role.MANAGER])
    direct = client.get(reverse("certificates:team-export"), {"sort": "department"})
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")

    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_ROWS": 2}
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(reverse("certificates:team-export"), {"sort": "department"})
    job = Job.objects.get()
    assert started["Location"] == reverse("core:job", args=[job.token])
    assert (job.status, job.title, job.total, job.done) == (
        "done",
        "Team download (4 people)",
        4,
        4,
    )
    page = client.get(started["Location"]).content.decode()
    assert "Download team-" in page
    download = client.get(reverse("core:job-download", args=[job.token]))

    def rows(response):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        return [[c.value for c in row] for row in sheet.iter_rows()]

    assert rows(download) == rows(direct)
