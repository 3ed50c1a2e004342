"""Reminder journey: the daily run e-mails the demo employee before a sign-off expires, and
they read what was sent on My progress."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page, expect

from skills.models import Employee, Signoff
from tests.e2e.test_trainer_journey import sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_employee_reads_the_reminder_sent_to_them(live_server, page: Page, screenshot_dir):
    call_command("seed_demo", stdout=io.StringIO())
    employee = Employee.objects.get(user__username="employee")
    signoff = next(
        s
        for s in Signoff.objects.filter(employee=employee, revoked_on__isnull=True)
        .select_related("skill")
        .order_by("-assessed_on")
        if s.expires_on is not None
    )
    day = signoff.expires_on - datetime.timedelta(days=20)  # the 30-day reminder is due
    call_command("send_reminders", "--date", day.isoformat(), stdout=io.StringIO())
    [message] = [
        m for m in mail.outbox if m.to == [employee.email] and signoff.skill.code in m.subject
    ]

    sign_in(page, live_server.url, "employee")
    page.goto(live_server.url + reverse("certificates:my-progress"))
    card = page.locator("section", has=page.get_by_role("heading", name="Reminders sent to you"))
    card.get_by_text(message.subject).click()
    expect(card.locator(".reminder-body").first).to_contain_text("Ask a trainer or your manager")
    page.screenshot(path=screenshot_dir / "reminders.png", full_page=True)
