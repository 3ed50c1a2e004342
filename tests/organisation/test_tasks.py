"""Background jobs: tests run them at once (ImmediateBackend); one test runs a real
`db_worker` process against a job queued in PostgreSQL."""

import datetime
import os
import smtplib
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django_tasks import TaskResultStatus

from organisation.models import Reminder
from organisation.tasks import send_reminders_job

ROOT = Path(__file__).resolve().parents[2]
DAY = "2026-07-01"  # 19 days before the lapser's BILL-DISP sign-off expires


@pytest.mark.django_db
def test_the_reminders_job_runs_and_is_safe_to_run_twice(lapser):
    first = send_reminders_job.enqueue(DAY)
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value["sent"] == 1
    again = send_reminders_job.enqueue(DAY)
    assert again.return_value["sent"] == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failing_job_is_recorded_as_failed_with_its_reason(lapser):
    refused = smtplib.SMTPRecipientsRefused({lapser.email: (550, b"no such mailbox")})
    with mock.patch("django.core.mail.EmailMessage.send", side_effect=refused):
        result = send_reminders_job.enqueue(DAY)
    assert result.status == TaskResultStatus.FAILED
    assert "RemindersRefused" in result.errors[0].exception_class_path
    assert "1 reminders refused by the mail server" in result.errors[0].traceback
    assert not Reminder.objects.filter(sent_at__isnull=False).exists()


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in ("postgres", "postgresql"),
    reason="a worker process needs a database it can open too: SQLite's test one is in memory",
)
@pytest.mark.django_db(transaction=True)
def test_a_real_db_worker_runs_a_queued_job(lapser):
    with override_settings(TASKS=DATABASE_TASKS):
        queued = send_reminders_job.enqueue(DAY)
        assert queued.status == TaskResultStatus.READY
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
        subprocess.run(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
            capture_output=True,
        )
        done = send_reminders_job.get_result(queued.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value["sent"] == 1
    assert Reminder.objects.get(employee=lapser).sent_at.date() <= datetime.date.today()
