"""Reminders before pay lapses: who is told what, once, by e-mail (`send_reminders`).

- Each employee whose sign-off expires without a renewal is told 60, 30 and 7 days before
  (settings.TRACKER["REMINDER_DAYS"]): the skill, the date, and the tier and pay it puts at
  risk. A run sends the tightest threshold reached, so a sign-off first seen 20 days before its
  expiry gets the 30-day reminder, not three at once.
- Each manager gets a weekly digest of their team (the people whose manager they are):
  expiring sign-offs, people paid below their certified tier, new-hire modules overdue.
- Each module owner is told once when their module falls due for review.

Every reminder has a key (`signoff:<id>:<days>`, `digest:<number>:<ISO week>`,
`review:<code>:<last review>`). A run claims the key (a row, unique) before sending and marks it
sent once the mail server has taken the message: running the command twice, even at once,
sends nothing twice; a refused message gives its claim back and is sent on the next run; a
claim left by a run that died is taken over after CLAIM_MINUTES. The rules here are pure;
`plan_reminders` reads, `deliver` sends and records.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from certificates.eligibility import TierRule, eligible_rank
from certificates.models import Certification
from certificates.pay import CertificationFact, certified_rank_on
from certificates.selectors import catalogue_skills, employee_facts, tier_rules
from certificates.team import team_ranks
from core.text import day_text
from organisation.models import Reminder
from skills.models import Employee
from skills.selectors import ExpiringSignoff, employee_active_q, expiring_signoff_list
from training.models import WorkflowModule
from training.selectors import modules_due_for_review, new_hire_list

# --- rules (pure) ------------------------------------------------------------------------------


def reminder_days() -> tuple[int, ...]:
    return tuple(sorted(settings.TRACKER["REMINDER_DAYS"]))


def due_threshold(days_left: int, thresholds: Sequence[int]) -> int | None:
    """The tightest threshold a sign-off `days_left` from its expiry has reached, if any:
    60, 30, 7 and 20 days left gives 30; 61 gives none; 0 (expires today) gives 7."""
    reached = [t for t in thresholds if 0 <= days_left <= t]
    return min(reached) if reached else None


def iso_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Risk:
    """The tier a sign-off's expiry would take away, and the tier left."""

    tier: TierRule
    falls_to: TierRule | None

    @property
    def pay_drop(self) -> Decimal:
        left = self.falls_to.differential_per_hour if self.falls_to else Decimal("0")
        return self.tier.differential_per_hour - left


def risk_of(held: int, after: int, tiers: Sequence[TierRule]) -> Risk | None:
    """What is at risk when the paid tier `held` today becomes `after` on the expiry day."""
    if after >= held or held == 0:
        return None
    by_rank = {t.rank: t for t in tiers}
    return Risk(by_rank[held], by_rank.get(after))


# --- what to send ------------------------------------------------------------------------------


@dataclass
class Outgoing:
    key: str
    kind: str
    employee: Employee
    subject: str
    body: str


@dataclass
class Plan:
    day: datetime.date
    outgoing: list[Outgoing] = field(default_factory=list)
    no_address: list[tuple[Employee, str]] = field(default_factory=list)  # (who, what about)


def _message(template: str, context: dict) -> tuple[str, str]:
    """(subject, body) from a text template whose first line is the subject."""
    text = render_to_string(f"reminders/{template}.txt", context).strip()
    subject, _, body = text.partition("\n")
    return subject.strip()[:255], body.strip() + "\n"


def _risks(
    today: datetime.date, expiring: Sequence[ExpiringSignoff]
) -> dict[tuple[str, datetime.date], Risk]:
    """For each (employee number, expiry date), the tier and pay its expiry puts at risk."""
    numbers = {e.employee_number for e in expiring}
    if not numbers:
        return {}
    tiers = sorted(tier_rules(), key=lambda t: t.rank)
    sides = {code: side for code, _, side, _ in catalogue_skills()}
    people = Employee.objects.filter(employee_number__in=numbers)
    facts = {f.employee_number: f for f in employee_facts(people, today)}
    certifications: dict[str, list[CertificationFact]] = defaultdict(list)
    for number, rank, certified, revoked in (
        Certification.objects.filter(employee__employee_number__in=numbers, certified_on__lte=today)
        .order_by()
        .values_list("employee__employee_number", "tier__rank", "certified_on", "revoked_on")
    ):
        certifications[number].append(CertificationFact(rank, certified, revoked))
    risks = {}
    for number, expires in {(e.employee_number, e.expires_on) for e in expiring}:
        held = min(
            certified_rank_on(certifications[number], today),
            eligible_rank(facts[number], tiers, sides, today),
        )
        risk = risk_of(held, eligible_rank(facts[number], tiers, sides, expires), tiers)
        if risk is not None:
            risks[(number, expires)] = risk
    return risks


def plan_reminders(today: datetime.date) -> Plan:
    """Every reminder due on `today` that has not been sent (a few queries per kind)."""
    plan = Plan(today)
    sent = set(Reminder.objects.filter(sent_at__isnull=False).values_list("key", flat=True))
    thresholds = reminder_days()
    currency = settings.TRACKER["CURRENCY"]
    expiring = expiring_signoff_list(today, max(thresholds))
    risks = _risks(today, expiring)
    people = {
        e.employee_number: e
        for e in Employee.objects.filter(
            employee_number__in={x.employee_number for x in expiring}
        ).select_related("manager")
    }

    # Employees: one message per sign-off and threshold.
    for item in expiring:
        threshold = due_threshold(item.days_left, thresholds)
        key = f"signoff:{item.signoff_id}:{threshold}"
        if threshold is None or key in sent:
            continue
        employee = people[item.employee_number]
        risk = risks.get((item.employee_number, item.expires_on))
        subject, body = _message(
            "signoff_expiring",
            {
                "employee": employee,
                "item": item,
                "expires": day_text(item.expires_on),
                "risk": risk,
                "currency": currency,
            },
        )
        _add(plan, Outgoing(key, Reminder.Kind.SIGNOFF, employee, subject, body), item.skill_code)

    # Managers: a weekly digest of their own team.
    week = iso_week(today)
    active = Employee.objects.filter(employee_active_q(today))
    team_of: dict[int, list[Employee]] = defaultdict(list)
    for person in active.filter(manager__isnull=False).order_by("sort_key", "employee_number"):
        team_of[person.manager_id].append(person)
    managers = {
        m.pk: m for m in Employee.objects.filter(pk__in=team_of).filter(employee_active_q(today))
    }
    if managers:
        digest_keys = {pk: f"digest:{m.employee_number}:{week}" for pk, m in managers.items()}
        wanted = [pk for pk, key in digest_keys.items() if key not in sent]
        members = [p for pk in wanted for p in team_of[pk]]
        ranks = team_ranks(today, active, [p.pk for p in members]) if members else {}
        expiring_of = defaultdict(list)
        for item in expiring:
            expiring_of[item.employee_number].append(item)
        overdue_of = defaultdict(list)
        for hire in new_hire_list(today, active.filter(pk__in=[p.pk for p in members])):
            late = [p for p in hire.pending if p.days_left < 0]
            if late:
                overdue_of[hire.employee.pk] = late
        for pk in wanted:
            team = team_of[pk]
            rows = {
                "expiring": [x for p in team for x in expiring_of[p.employee_number]],
                "lapsed": [p for p in team if ranks.get(p.pk, (0, 0, 0, False, False))[4]],
                "overdue": [(p, overdue_of[p.pk]) for p in team if overdue_of[p.pk]],
            }
            if not any(rows.values()):
                continue  # nothing to tell this week
            subject, body = _message(
                "manager_digest",
                {"manager": managers[pk], "team": team, "week": week, "today": today, **rows},
            )
            _add(plan, Outgoing(digest_keys[pk], Reminder.Kind.DIGEST, managers[pk], subject, body),
                 f"weekly digest {week}")  # fmt: skip

    # Module owners: once per review falling due.
    for module in (
        WorkflowModule.objects.filter(modules_due_for_review(today), owner__isnull=False)
        .select_related("owner")
        .order_by("code")
    ):
        key = f"review:{module.code}:{module.last_reviewed_on.isoformat()}"
        if key in sent:
            continue
        subject, body = _message("module_review", {"module": module, "owner": module.owner})
        _add(plan, Outgoing(key, Reminder.Kind.REVIEW, module.owner, subject, body), module.code)
    return plan


def _add(plan: Plan, outgoing: Outgoing, about: str) -> None:
    if outgoing.employee.email:
        plan.outgoing.append(outgoing)
    else:
        plan.no_address.append((outgoing.employee, about))


# --- sending -----------------------------------------------------------------------------------


@dataclass
class Delivery:
    sent: list[Outgoing] = field(default_factory=list)
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)


CLAIM_MINUTES = 15


def claim(message: Outgoing) -> Reminder | None:
    """The reminder's row, claimed for this run; None when another run holds or sent it."""
    now = timezone.now()
    fields = {
        "kind": message.kind,
        "employee": message.employee,
        "email": message.employee.email,
        "subject": message.subject,
        "body": message.body,
        "claimed_at": now,
    }
    try:
        with transaction.atomic():
            return Reminder.objects.create(key=message.key, **fields)
    except IntegrityError:
        stale = now - datetime.timedelta(minutes=CLAIM_MINUTES)
        taken = Reminder.objects.filter(
            key=message.key, sent_at__isnull=True, claimed_at__lt=stale
        ).update(**fields)
        return Reminder.objects.get(key=message.key) if taken else None


def deliver(outgoing: Iterable[Outgoing], *, connection=None) -> Delivery:
    """Sends each message it can claim and marks it sent once the server took it; a refused
    one gives its claim back (and is planned again on the next run)."""
    result = Delivery()
    connection = connection or get_connection()
    with connection:
        for message in outgoing:
            row = claim(message)
            if row is None:
                continue
            email = EmailMessage(
                message.subject, message.body, to=[message.employee.email], connection=connection
            )
            try:
                email.send()
            except Exception as error:
                row.delete()
                result.refused.append((message, str(error) or error.__class__.__name__))
                continue
            Reminder.objects.filter(pk=row.pk).update(sent_at=timezone.now())
            result.sent.append(message)
    return result


def days_text(days: Sequence[int]) -> str:
    """ "60, 30 and 7": when employees are told before a sign-off expires."""
    shown = [str(d) for d in sorted(days, reverse=True)]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def progress_reminders(employee: Employee, day: datetime.date) -> dict:
    """For a progress page (settings.PROGRESS_CONTEXT): the reminders sent to the employee, and
    when they are sent, for their own page to list."""
    return {"reminders_sent": reminders_of(employee), "reminder_days": days_text(reminder_days())}


def reminders_of(employee: Employee, limit: int = 10) -> list[Reminder]:
    """The reminders sent to `employee`, newest first (their page lists them)."""
    return list(
        Reminder.objects.filter(employee=employee, sent_at__isnull=False).order_by("-sent_at")[
            :limit
        ]
    )
