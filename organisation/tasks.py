"""Background jobs of the organisation app (Django's tasks API, django-tasks backport).

A job is safe to run twice: `send_reminders_job` sends only what no run has sent (each
reminder is claimed by key); an upload is checked once and imported once (its confirmation
is recorded in the import's own transaction). A job that fails raises, so its result is
recorded as FAILED with the error (the task results in the admin), never lost silently.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tasks import task

from core import jobs
from organisation.models import WorkbookUpload
from organisation.reminders import deliver, plan_reminders
from organisation.services import UploadRefused, workbook_upload_check, workbook_upload_confirm


class RemindersRefused(Exception):
    """The mail server refused some reminders: they stay unsent and go on the next run."""


@task()
def send_reminders_job(day: str | None = None) -> dict:
    """The reminders due on `day` (ISO date; default today), as `manage.py send_reminders`."""
    when = datetime.date.fromisoformat(day) if day else timezone.localdate()
    plan = plan_reminders(when)
    result = deliver(plan.outgoing)
    summary = {
        "day": when.isoformat(),
        "sent": len(result.sent),
        "refused": [f"{m.employee.email} ({m.key}): {error}" for m, error in result.refused],
        "without_address": [f"{e.full_name} ({e.employee_number})" for e, _ in plan.no_address],
    }
    if result.refused:
        raise RemindersRefused(
            f"{len(result.refused)} reminders refused by the mail server: "
            + "; ".join(summary["refused"])
        )
    return summary


# Rows read or written between two progress reports (and at most one report a second).
REPORT_EVERY = 500
UPLOAD_GONE = "The upload is no longer here (it expired); upload the file again."


def _upload(token: str) -> WorkbookUpload:
    found = WorkbookUpload.objects.filter(token=token).first()
    if found is None:
        raise jobs.Refused(UPLOAD_GONE)
    return found


@task()
def workbook_check_job(token: str, upload: str) -> str:
    """Checks the stored upload `upload` (its token) for its preview, writing nothing."""

    def work(progress):
        workbook_upload_check(_upload(upload), jobs.every(REPORT_EVERY, progress))

    return jobs.run(token, work)


@task()
def workbook_confirm_job(token: str, upload: str, user: int, digest: str) -> str:
    """Imports the previewed upload `upload` as the user `user` (their confirmation)."""

    def work(progress):
        found = _upload(upload)
        who = get_user_model().objects.get(pk=user)
        try:
            workbook_upload_confirm(
                upload=found, user=who, digest=digest, progress=jobs.every(REPORT_EVERY, progress)
            )
        except UploadRefused as refusal:
            raise jobs.Refused(str(refusal)) from refusal

    return jobs.run(token, work)
