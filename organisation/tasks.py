"""Background jobs of the organisation app (Django's tasks API, django-tasks backport).

A job is safe to run twice: `send_reminders_job` sends only what no run has sent (each
reminder is claimed by key). A job that fails raises, so its result is recorded as FAILED with
the error (the task results in the admin), never lost silently.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks import task

from organisation.reminders import deliver, plan_reminders


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
