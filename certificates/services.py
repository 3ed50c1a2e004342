"""Writes of the certificates app: certify and revoke, pay periods (create, close).

Each function owns its transaction and records who did it in the history.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates.eligibility import (
    EmployeeFacts,
    TierRule,
    evaluate_tiers,
    not_eligible_message,
)
from certificates.models import Certification, PayPeriod, PayrollRow, Tier
from certificates.pay import Period, period_clash
from certificates.selectors import (
    employee_facts,
    payroll_lines,
    previous_period,
    skill_sides,
    tier_rules,
)
from core import revocation
from skills import rules as skill_rules
from skills.models import Employee

MAX_PERIOD_DAYS = 366
MAX_PERIOD_COUNT = 260
PERIOD_DAYS_INVALID = "a pay period lasts 1 to {most} days, not {days}"
PERIOD_COUNT_INVALID = "add 1 to {most} periods at a time, not {count}"
ALREADY_CLOSED = "The period {start} – {end} was already closed on {when}."
PREVIOUS_OPEN = "Close the period {start} – {end} first: periods are closed in order."
ADDED_MEANWHILE = (
    "Someone added pay periods at the same moment: a period starting {start} exists now. "
    "Reload the list of periods and add what is still missing."
)
CLOSE_REASON = "closed the pay period {start} – {end}"


def pay_periods_plan(first_start: datetime.date, days: int, count: int) -> list[Period]:
    """`count` contiguous periods of `days` days, the first starting on `first_start`."""
    if not 1 <= days <= MAX_PERIOD_DAYS:
        raise ValidationError(PERIOD_DAYS_INVALID.format(most=MAX_PERIOD_DAYS, days=days))
    if not 1 <= count <= MAX_PERIOD_COUNT:
        raise ValidationError(PERIOD_COUNT_INVALID.format(most=MAX_PERIOD_COUNT, count=count))
    step = datetime.timedelta(days=days)
    return [
        Period(first_start + i * step, first_start + (i + 1) * step - datetime.timedelta(days=1))
        for i in range(count)
    ]


def pay_periods_create(
    *, first_start: datetime.date, days: int, count: int, user: Any = None
) -> list[PayPeriod]:
    """Adds contiguous periods next to the existing ones; refused whole, with the dates that
    clash, when any would overlap an existing period or leave a gap beside them."""
    new = pay_periods_plan(first_start, days, count)
    with transaction.atomic():
        # One writer at a time: a second clerk adding periods waits on the existing rows' locks,
        # then reads the periods afresh, the first clerk's included.
        list(PayPeriod.objects.select_for_update().values_list("pk", flat=True))
        existing = [
            Period(start, end)
            for start, end in PayPeriod.objects.order_by("start").values_list("start", "end")
        ]
        problems = []
        merged = sorted(existing + new)
        for previous, current in itertools.pairwise(merged):
            message = period_clash(previous, current)
            if message and (previous in new or current in new):
                problems.append(message)
        if problems:
            raise ValidationError(problems)
        periods = [PayPeriod(start=p.start, end=p.end) for p in new]
        try:
            with transaction.atomic():
                for period in periods:
                    period._history_user = user
                    period.save()
        except IntegrityError as error:
            # Only when there was no period to lock: the other clerk's periods came first.
            raise ValidationError(ADDED_MEANWHILE.format(start=first_start)) from error
    return periods


def pay_period_close(*, period: PayPeriod, user: Any = None) -> list[PayrollRow]:
    """Freezes the period's export rows and closes it, in one transaction.

    Refused when it is closed already or the period before it is still open. The row lock
    makes a second, simultaneous close wait and then be refused, never freeze twice.
    """
    with transaction.atomic():
        period = PayPeriod.objects.select_for_update().get(pk=period.pk)
        if period.is_closed:
            raise ValidationError(
                ALREADY_CLOSED.format(
                    start=period.start, end=period.end, when=timezone.localtime(period.closed_at)
                )
            )
        previous = previous_period(period)
        if previous is not None and not previous.is_closed:
            raise ValidationError(PREVIOUS_OPEN.format(start=previous.start, end=previous.end))
        lines = payroll_lines(period)
        ids = dict(
            Employee.objects.filter(
                employee_number__in=[line.employee_number for line in lines]
            ).values_list("employee_number", "pk")
        )
        rows = PayrollRow.objects.bulk_create(
            PayrollRow(
                period=period,
                employee_id=ids[line.employee_number],
                employee_number=line.employee_number,
                last_name=line.last_name,
                first_name=line.first_name,
                department_code=line.department_code,
                paid_tier_rank=line.paid_tier,
                tier_name=line.tier_name,
                differential_per_hour=line.differential_per_hour,
                pay_code=line.pay_code,
                previous_tier_rank=line.previous_paid_tier,
                change=line.change,
                lapsed=line.lapsed,
                lapsed_reason=line.lapsed_reason,
            )
            for line in lines
        )
        period.closed_at = timezone.now()
        period.closed_by = user if getattr(user, "pk", None) else None
        period._change_reason = CLOSE_REASON.format(start=period.start, end=period.end)
        period.save(update_fields=["closed_at", "closed_by"])
    return rows


# --- Certification ----------------------------------------------------------------------------

CERTIFIED_BY_SELF = "{number} cannot certify themselves"
CERTIFIER_UNLINKED = (
    "Your login is not linked to an employee record, and a certification names who certified. "
    "Ask an administrator to link it."
)
CERTIFIED = "Certification recorded"
NO_SUCH_TIER = "there is no tier {rank}"


@dataclass(frozen=True)
class EligibilityInputs:
    """What the engine needs to judge certifications on one day, read once for many people."""

    tiers: list[TierRule]
    sides: dict[str, str | None]
    facts: dict[str, EmployeeFacts]  # by employee number


def eligibility_inputs(employees, day: datetime.date) -> EligibilityInputs:
    """The tiers, skill sides and facts up to `day` of `employees` (a fixed number of queries)."""
    return EligibilityInputs(
        tier_rules(), skill_sides(), {f.employee_number: f for f in employee_facts(employees, day)}
    )


def certification_refusals(
    *,
    employee: Employee,
    tier: Tier,
    certified_on: datetime.date,
    certified_by: Employee | None,
    today: datetime.date,
    inputs: EligibilityInputs | None = None,
) -> dict[str, list[str]]:
    """Every reason, by field, why this certification may not be recorded (none: it may).

    `inputs` are the tiers and facts read for many people at once (bulk certification);
    without them the employee's are read here.
    """
    errors: dict[str, list[str]] = {}

    def refuse(field: str, message: str | None) -> None:
        if message:
            errors.setdefault(field, []).append(message)

    refuse("certified_on", skill_rules.check_not_future(certified_on, today))
    refuse(
        "employee",
        skill_rules.check_active(
            employee.employee_number, employee.hire_date, employee.termination_date, certified_on
        ),
    )
    if certified_by is None:
        refuse("certified_by", CERTIFIER_UNLINKED)
    elif certified_by.pk == employee.pk:
        refuse("certified_by", CERTIFIED_BY_SELF.format(number=employee.employee_number))
    else:
        refuse(
            "certified_by",
            skill_rules.check_active(
                certified_by.employee_number,
                certified_by.hire_date,
                certified_by.termination_date,
                certified_on,
            ),
        )
    if not errors:
        rules = inputs or eligibility_inputs(Employee.objects.filter(pk=employee.pk), certified_on)
        tiers = rules.tiers
        facts = rules.facts[employee.employee_number]
        status = evaluate_tiers(facts, tiers, rules.sides, certified_on)
        if status.eligible_rank < tier.rank:
            names = {t.rank: t.name for t in tiers}
            refuse("tier", not_eligible_message(status, tier.rank, names))
    return errors


def certification_create(
    *,
    employee: Employee,
    tier: Tier,
    certified_on: datetime.date,
    certified_by: Employee | None,
    user: Any = None,
    today: datetime.date | None = None,
    inputs: EligibilityInputs | None = None,
) -> Certification:
    """Certifies `employee` at `tier` on `certified_on`, refused unless they are eligible then.

    Certifying the same person at the same tier on the same day again gives back the existing
    certification: a double click, a retried request or two managers at once record it once
    (the employee's row is locked while it is decided). Raises ValidationError by field.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        existing = Certification.objects.filter(
            employee=employee, tier=tier, certified_on=certified_on, revoked_on__isnull=True
        ).first()
        if existing is not None:
            return existing
        errors = certification_refusals(
            employee=employee,
            tier=tier,
            certified_on=certified_on,
            certified_by=certified_by,
            today=today,
            inputs=inputs,
        )
        if errors:
            raise ValidationError(errors)
        certification = Certification(
            employee=employee,
            tier=tier,
            certified_on=certified_on,
            certified_by=certified_by,
            recorded_by=user if getattr(user, "pk", None) else None,
        )
        certification._history_user = user if getattr(user, "pk", None) else None
        certification._change_reason = CERTIFIED
        certification.save()
    return certification


def certification_revoke(
    *,
    certification: Certification,
    reason: str,
    user: Any,
    revoked_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Certification:
    """Revokes a certification as of `revoked_on` (default today) with a reason; it stays in
    the history. Raises ValidationError keyed by "reason" or "revoked_on"."""
    today = today or timezone.localdate()
    return revocation.revoke(
        certification,
        what="certification",
        date_field="certified_on",
        reason=reason,
        user=user,
        revoked_on=revoked_on or today,
        today=today,
    )


@dataclass(frozen=True)
class BulkResult:
    created: list[Certification]
    skipped: list[tuple[Employee, str]]  # who, and why in words


def certifications_bulk_create(
    *,
    employees: list[Employee],
    ranks: dict[int, int],
    certified_on: datetime.date,
    certified_by: Employee | None,
    user: Any = None,
    today: datetime.date | None = None,
) -> BulkResult:
    """Certifies each of `employees` at the tier `ranks` gives them, in one transaction.

    Each is checked again at this moment: anyone no longer eligible (or otherwise refused) is
    skipped with the reason, and the others are certified. Everyone already certified at that
    tier that day keeps the one certification.
    """
    tiers = {t.rank: t for t in Tier.objects.all()}
    created: list[Certification] = []
    skipped: list[tuple[Employee, str]] = []
    inputs = eligibility_inputs(
        Employee.objects.filter(pk__in=[e.pk for e in employees]), certified_on
    )
    with transaction.atomic():
        # Everyone's row is locked first, in one order, before any certificate number is
        # taken: a single certification locks its person and then the year's counter, so
        # locking people one by one here could wait on a person while holding the counter.
        list(
            Employee.objects.select_for_update()
            .filter(pk__in=[e.pk for e in employees])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for employee in employees:
            tier = tiers.get(ranks.get(employee.pk, 0))
            if tier is None:
                skipped.append((employee, NO_SUCH_TIER.format(rank=ranks.get(employee.pk))))
                continue
            try:
                with transaction.atomic():
                    created.append(
                        certification_create(
                            employee=employee,
                            tier=tier,
                            certified_on=certified_on,
                            certified_by=certified_by,
                            user=user,
                            today=today,
                            inputs=inputs,
                        )
                    )
            except ValidationError as error:
                skipped.append((employee, "; ".join(error.messages)))
    return BulkResult(created, skipped)
