"""Reminders before pay lapses (send_reminders): the rules, once per sign-off and threshold,
the digest once a week, module reviews once, and every fault path."""

import datetime
import io
import smtplib
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from certificates.eligibility import TierRule
from organisation.models import Reminder
from organisation.reminders import (
    CLAIM_MINUTES,
    Outgoing,
    deliver,
    due_threshold,
    iso_week,
    plan_reminders,
    risk_of,
)
from tests.factories.skills import EmployeeFactory
from tests.factories.training import WorkflowModuleFactory

D = datetime.date
# The lapser's BILL-DISP sign-off (their only other-side skill) expires on 20 Jul 2026.
BEFORE = D(2026, 7, 1)  # 19 days before: the 30-day reminder
WEEK_BEFORE = D(2026, 7, 14)  # 6 days before: the 7-day reminder


# --- rules --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_left", "threshold"),
    [(61, None), (60, 60), (45, 60), (30, 30), (20, 30), (8, 30), (7, 7), (0, 7), (-1, None)],
)
def test_the_tightest_threshold_reached_is_due(days_left, threshold):
    assert due_threshold(days_left, (7, 30, 60)) == threshold


def test_weeks_are_iso_weeks():
    assert iso_week(D(2026, 12, 3)) == "2026-W49"
    assert iso_week(D(2027, 1, 1)) == "2026-W53"


def test_a_risk_is_a_tier_that_would_be_lost():
    tiers = [TierRule(1, "Tier I", Decimal("0.50")), TierRule(2, "Tier II", Decimal("1.25"))]
    risk = risk_of(2, 1, tiers)
    assert (risk.tier.name, risk.falls_to.name, risk.pay_drop) == (
        "Tier II",
        "Tier I",
        Decimal("0.75"),
    )
    assert risk_of(2, 0, tiers).pay_drop == Decimal("1.25")
    assert risk_of(1, 1, tiers) is None and risk_of(0, 0, tiers) is None


# --- the command --------------------------------------------------------------------------------


def run(day: datetime.date, *args: str) -> str:
    out = io.StringIO()
    call_command("send_reminders", "--date", day.isoformat(), *args, stdout=out)
    return out.getvalue()


def to(email: str) -> list:
    return [m for m in mail.outbox if m.to == [email]]


@pytest.mark.django_db
def test_an_employee_is_told_once_per_threshold_what_pay_is_at_risk(lapser):
    run(BEFORE)
    [message] = to(lapser.email)
    assert message.subject == "Your BILL-DISP sign-off expires on 20 Jul 2026: Tier II pay at risk"
    assert "expires on 20 Jul 2026, in 19 days" in message.body
    assert "would drop from £1.00 to £0.50 (Tier I) an hour, £0.50 an hour less" in message.body

    run(BEFORE)
    run(BEFORE + datetime.timedelta(days=1))
    assert len(to(lapser.email)) == 1  # the 30-day reminder is not sent again

    run(WEEK_BEFORE)
    assert len(to(lapser.email)) == 2
    assert Reminder.objects.filter(employee=lapser, sent_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_a_dry_run_lists_and_sends_nothing(lapser):
    out = run(BEFORE, "--dry-run")
    assert f"Would send to {lapser.email}: Your BILL-DISP sign-off" in out
    assert "none sent (dry run)" in out
    assert mail.outbox == [] and not Reminder.objects.exists()


@pytest.mark.django_db
def test_someone_without_an_address_is_listed_not_skipped(lapser):
    lapser.email = ""
    lapser.save()
    out = run(BEFORE)
    assert f"No e-mail address: {lapser.full_name} (E30000), BILL-DISP: not sent" in out
    assert not Reminder.objects.exists()


@pytest.mark.django_db
def test_a_refused_message_is_left_unsent_and_sent_on_the_next_run(lapser):
    refused = smtplib.SMTPRecipientsRefused({lapser.email: (550, b"no such mailbox")})
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=refused),
        pytest.raises(CommandError, match="1 reminders were refused"),
    ):
        run(BEFORE)
    assert not Reminder.objects.exists()
    run(BEFORE)
    assert len(to(lapser.email)) == 1


@pytest.mark.django_db
def test_a_bad_date_is_refused_in_words():
    with pytest.raises(CommandError, match="--date must be a date written YYYY-MM-DD"):
        call_command("send_reminders", "--date", "1 July")


@pytest.mark.django_db
def test_a_manager_gets_one_digest_a_week_of_their_own_team(lapser, tier_world):
    manager = EmployeeFactory(employee_number="M1", first_name="Maya")
    lapser.manager = manager
    lapser.save()
    EmployeeFactory(employee_number="E9", department=tier_world["front"])  # not in the team

    run(BEFORE)
    [digest] = to(manager.email)
    assert digest.subject.startswith(f"Your team this week ({iso_week(BEFORE)}): 1 sign-off")
    assert f"{lapser.full_name} (E30000): BILL-DISP level 3, expires 20 Jul 2026" in digest.body
    assert "E9" not in digest.body

    run(BEFORE + datetime.timedelta(days=2))  # same week
    assert len(to(manager.email)) == 1
    run(BEFORE + datetime.timedelta(days=7))  # next week
    assert len(to(manager.email)) == 2


@pytest.mark.django_db
def test_a_module_owner_is_told_once_when_the_review_falls_due():
    module = WorkflowModuleFactory(code="WF-9", last_reviewed_on=D(2024, 1, 2))
    run(BEFORE)
    [note] = to(module.owner.email)
    assert note.subject == "WF-9 is due for review"
    assert "last reviewed on 2 Jan 2024" in note.body
    run(BEFORE + datetime.timedelta(days=3))
    assert len(to(module.owner.email)) == 1


@pytest.mark.django_db
def test_a_claim_held_by_another_run_is_left_to_it_unless_that_run_died(lapser):
    [message] = [m for m in plan_reminders(BEFORE).outgoing if m.employee == lapser]
    Reminder.objects.create(
        key=message.key, kind="signoff", employee=lapser, email=lapser.email,
        subject="x", body="x", claimed_at=timezone.now(),
    )  # fmt: skip
    assert deliver([message]).sent == [] and mail.outbox == []
    Reminder.objects.update(
        claimed_at=timezone.now() - datetime.timedelta(minutes=CLAIM_MINUTES + 1)
    )
    assert deliver([message]).sent == [message]
    assert Reminder.objects.get().sent_at is not None


@pytest.mark.django_db
def test_the_employee_sees_the_reminders_sent_to_them(client, make_user, lapser):
    lapser.user = make_user("lapser", "employee")
    lapser.save()
    run(BEFORE)
    client.force_login(lapser.user)
    html = client.get(reverse("certificates:my-progress")).content.decode()
    assert "Reminders sent to you" in html
    assert "Your BILL-DISP sign-off expires on 20 Jul 2026" in html


@pytest.mark.django_db
def test_the_page_says_when_reminders_come_before_any_is_sent(client, make_user, lapser):
    lapser.user = make_user("lapser", "employee")
    lapser.save()
    client.force_login(lapser.user)
    html = client.get(reverse("certificates:my-progress")).content.decode()
    assert "You are e-mailed 60, 30 and 7 days before a sign-off expires" in html


def test_outgoing_is_plain_data():
    assert {"key", "kind", "employee", "subject", "body"} <= set(Outgoing.__dataclass_fields__)
