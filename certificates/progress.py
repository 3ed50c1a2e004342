"""One employee's progress on a day: tiers, pay, gaps, hours, modules and skills.

The facts come from the one loader (certificates.selectors); the answers from the pure engine
(certificates/eligibility.py) and the pay rule (certificates/pay.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

from certificates.eligibility import (
    Requirement,
    TierRule,
    TierStatus,
    eligible_rank,
    evaluate_tiers,
)
from certificates.models import Certification, PayPeriod
from certificates.pay import (
    CertificationFact,
    PaidTier,
    certified_rank_on,
    first_lapse_day,
    pay_for_period,
)
from certificates.selectors import catalogue_skills, current_period, employee_facts, tier_rules
from skills.models import Department, Employee, Level
from skills.rules import add_months
from skills.selectors import ExpiringSignoff, expiring_signoff_list
from training.models import ModuleCompletion, WorkflowModule

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0")
CHART_MONTHS = 12


@dataclass(frozen=True)
class HoursBar:
    code: str
    name: str
    hours: Decimal
    is_home: bool


@dataclass(frozen=True)
class PassedModule:
    code: str
    title: str
    version: str
    completed_on: datetime.date
    score: int


@dataclass(frozen=True)
class SkillLevel:
    code: str
    name: str
    level: int

    @property
    def label(self) -> str:
        return Level(self.level).label if self.level else "Not signed off"


@dataclass(frozen=True)
class Progress:
    """Everything the progress page shows for one employee on one day."""

    employee: Employee
    today: datetime.date
    status: TierStatus
    tiers: list[TierRule]
    certified_rank: int
    paid: PaidTier
    period: PayPeriod | None
    period_start: datetime.date
    missing_modules: list[tuple[str, str]]  # (code, title)
    missing_skills: list[tuple[str, str, int, int]]  # (code, name, level now, level needed)
    expiring: list[ExpiringSignoff]
    warning_days: int
    lapse_on: datetime.date | None  # the paid tier would drop on this day (a sign-off expires)
    lapse_to: int  # to this eligible tier
    hours_by_department: list[HoursBar]
    chart_since: datetime.date
    modules_passed: list[PassedModule]
    skills: list[SkillLevel]
    certifications: list[Certification]

    def tier(self, rank: int) -> TierRule | None:
        return next((t for t in self.tiers if t.rank == rank), None)

    @property
    def eligible_tier(self) -> TierRule | None:
        return self.tier(self.status.eligible_rank)

    @property
    def certified_tier(self) -> TierRule | None:
        return self.tier(self.certified_rank)

    @property
    def paid_tier(self) -> TierRule | None:
        return self.tier(self.paid.rank)

    @property
    def paid_differential(self) -> Decimal:
        tier = self.paid_tier
        return tier.differential_per_hour if tier else ZERO

    @property
    def next_tier(self) -> TierRule | None:
        return self.status.next_tier

    @property
    def lapse_tier(self) -> TierRule | None:
        return self.tier(self.lapse_to)

    @property
    def next_tier_adds(self) -> Decimal | None:
        """What the next tier pays per hour above the differential paid now."""
        tier = self.next_tier
        return tier.differential_per_hour - self.paid_differential if tier else None

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        return self.status.next_tier_requirements

    @property
    def ready_to_certify(self) -> bool:
        return self.status.eligible_rank > self.certified_rank

    @property
    def top_gaps(self) -> list[Requirement]:
        """The unmet requirements, closest to done first (for the home page)."""
        gaps = [r for r in self.requirements if not r.met]
        return sorted(gaps, key=lambda r: -r.fraction)

    @property
    def chart_total(self) -> Decimal:
        return sum((b.hours for b in self.hours_by_department if not b.is_home), ZERO)


def progress_get(employee: Employee, today: datetime.date) -> Progress:
    """The progress of one employee on `today` (a fixed number of queries)."""
    tiers = sorted(tier_rules(), key=lambda t: t.rank)
    skills = catalogue_skills()
    sides = {code: side for code, _, side, _ in skills}
    skill_names = {code: name for code, name, _, _ in skills}
    [facts] = employee_facts(Employee.objects.filter(pk=employee.pk), today)
    status = evaluate_tiers(facts, tiers, sides, today)

    period = current_period(today)
    start = period.start if period else today
    certifications = list(
        Certification.objects.filter(employee=employee)
        .select_related("tier")
        .order_by("-certified_on", "-tier__rank")
    )
    certs = [CertificationFact(c.tier.rank, c.certified_on, c.revoked_on) for c in certifications]
    paid = pay_for_period(facts, certs, tiers, sides, start)

    gaps = [r for r in status.next_tier_requirements if not r.met]
    missing_codes = [r.subject for r in gaps if r.kind == "module"]
    titles = dict(
        WorkflowModule.objects.filter(code__in=missing_codes).values_list("code", "title")
    )
    passed = {}
    for c in (
        ModuleCompletion.objects.filter(employee=employee, completed_on__lte=today)
        .select_related("module")
        .order_by("completed_on")
    ):
        if c.passed and c.module.code not in passed:
            passed[c.module.code] = PassedModule(
                c.module.code, c.module.title, c.version, c.completed_on, c.score
            )

    since = add_months(today, -CHART_MONTHS)
    by_host: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in facts.attendances:
        if since < a.session_date <= today:
            by_host[a.host_department] += a.hours
    names = dict(Department.objects.filter(code__in=list(by_host)).values_list("code", "name"))
    bars = sorted(
        (
            HoursBar(code, names.get(code, code), hours, code == facts.home_department)
            for code, hours in by_host.items()
        ),
        key=lambda b: (b.is_home, -b.hours, b.code),
    )

    warning = settings.TRACKER["EXPIRY_WARNING_DAYS"]
    horizon = today + datetime.timedelta(days=warning)
    lapse_on = None
    if paid.rank:
        lapse_on = first_lapse_day(facts, tiers, sides, today, paid.rank, horizon)
    lapse_to = eligible_rank(facts, tiers, sides, lapse_on) if lapse_on else 0
    return Progress(
        employee=employee,
        today=today,
        status=status,
        tiers=tiers,
        certified_rank=certified_rank_on(certs, today),
        paid=paid,
        period=period,
        period_start=start,
        missing_modules=[(code, titles.get(code, "")) for code in missing_codes],
        missing_skills=[
            (r.subject, skill_names.get(r.subject, ""), int(r.have), int(r.need))
            for r in gaps
            if r.kind == "skill"
        ],
        expiring=expiring_signoff_list(
            today, warning, employees=Employee.objects.filter(pk=employee.pk)
        ),
        warning_days=warning,
        lapse_on=lapse_on,
        lapse_to=lapse_to,
        hours_by_department=bars,
        chart_since=since,
        modules_passed=sorted(passed.values(), key=lambda m: m.code),
        skills=[
            SkillLevel(code, skill_names.get(code, ""), level)
            for code, level in sorted(status.levels.items())
            if level
        ],
        certifications=certifications,
    )


def progress_extras(employee: Employee, day: datetime.date) -> dict[str, Any]:
    """What the apps above this one add to a progress page (settings.PROGRESS_CONTEXT), such as
    the buddy: each provider takes the employee and the day and gives template context."""
    context: dict[str, Any] = {}
    for provider in settings.PROGRESS_CONTEXT:
        context.update(import_string(provider)(employee, day))
    return context
