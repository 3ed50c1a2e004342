"""Two runs of send_reminders at once, on four connections: each reminder is sent once
(PostgreSQL; SQLite queues its writers)."""

import datetime

import pytest
from django.core import mail
from django.db import connection

from organisation.models import Reminder
from organisation.reminders import deliver, plan_reminders
from tests.concurrency import at_once
from tests.factories.skills import EmployeeFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def test_runs_at_once_send_each_reminder_once(lapser):
    lapser.manager = EmployeeFactory(employee_number="M1")
    lapser.save()
    plan = plan_reminders(datetime.date(2026, 7, 1))
    assert len(plan.outgoing) == 2  # the lapser's 30-day reminder and the manager's digest

    outcomes = at_once(lambda: len(deliver(plan.outgoing).sent), times=4)

    assert sorted(kind for kind, _ in outcomes) == ["ok"] * 4
    assert sum(sent for _, sent in outcomes) == 2
    assert len(mail.outbox) == 2
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
