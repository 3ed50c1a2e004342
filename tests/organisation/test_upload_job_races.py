"""Large imports on PostgreSQL: two confirmations of the same upload at once start one job
and import once; a job's progress inside the import's transaction is seen by the page."""

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from core import jobs
from core.models import Job
from core.roles import Role
from organisation.models import WorkbookUpload
from organisation.tasks import workbook_confirm_job
from skills.models import Employee
from tests.concurrency import at_once
from tests.organisation.test_workbook_support import xlsx
from tests.organisation.test_workbook_views import post_upload, roster

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and a second connection's view are PostgreSQL's; SQLite has one writer",
    ),
]


def test_two_confirmations_at_once_start_one_import(role_users, settings):
    settings.TRACKER = {**settings.TRACKER, "JOB_ABOVE_BYTES": 0}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    payroll = role_users[Role.PAYROLL]
    client = Client()
    client.force_login(payroll)
    post_upload(client, "organisation:roster-upload", xlsx(roster()))
    check = Job.objects.get(kind="workbook-check")
    from organisation.tasks import workbook_check_job

    workbook_check_job.call(str(check.token), upload=check.subject)
    upload = WorkbookUpload.objects.get()
    url = reverse("organisation:workbook-confirm", args=[upload.token])

    def post():
        other = Client(raise_request_exception=False)
        other.force_login(payroll)
        response = other.post(url, {"sha256": upload.sha256})
        return response.status_code, response["Location"]

    outcomes = at_once(post, times=4)

    assert {outcome for _, outcome in outcomes} == {(302, outcomes[0][1][1])}
    job = Job.objects.get(kind="workbook-confirm")
    assert outcomes[0][1][1] == reverse("core:job", args=[job.token])
    for _ in range(2):  # a worker, then a retry of the same task
        workbook_confirm_job.call(
            str(job.token), upload=str(upload.token), user=payroll.pk, digest=upload.sha256
        )
    assert Employee.objects.count() == 4
    assert Employee.history.count() == 4


def test_progress_inside_a_transaction_is_seen_from_another_connection(role_users):
    job = Job.objects.create(owner=role_users[Role.PAYROLL], kind="t", title="t")
    seen = []

    def look() -> tuple:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT done, total, stage FROM core_job WHERE id = %s", [job.pk])
                return cursor.fetchone()
        finally:
            other.close()

    def work(progress):
        with transaction.atomic():
            progress(3, 10, "Writing sheet Employees")
            seen.append(look())
        return b"x", "x.txt", "text/plain"

    assert jobs.run(str(job.token), work) == "done"
    assert seen == [(3, 10, "Writing sheet Employees")]
