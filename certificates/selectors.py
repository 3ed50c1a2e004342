"""Reads for tiers and eligibility: the one loader of tier rules and employee facts.

A fixed number of queries whatever the head count, then the pure engine
(certificates/eligibility.py) and pay rule (certificates/pay.py) answer from plain data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import NamedTuple

from django.db.models import (
    ExpressionWrapper,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)

from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    TierStatus,
    evaluate_tiers,
    facts_by_person,
)
from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from certificates.pay import CertificationFact, PayLine, Period, pay_for_period, pay_line
from skills.models import Employee, Signoff, Skill
from skills.rules import QUALIFIED_LEVEL, signoff_expires_on
from skills.selectors import employee_active_q, not_expired_q
from training.models import Attendance, ModuleCompletion

# Above this many people the fact queries read whole tables in one sequential pass and drop
# the others in Python: SQLite answers "employee_id IN (thousands)" by an index probe per
# person, several times slower than the scan. Below it, the IN list keeps small teams cheap.
SCAN_ABOVE = 3000
ONE_DAY = datetime.timedelta(days=1)


def employees_active_on(day: datetime.date) -> QuerySet[Employee]:
    return Employee.objects.filter(employee_active_q(day))


def tier_rules() -> list[TierRule]:
    """Every tier as plain data (three queries)."""
    tiers = Tier.objects.prefetch_related(
        "required_modules",
        Prefetch("skill_requirements", TierSkillRequirement.objects.select_related("skill")),
    )
    return [
        TierRule(
            rank=t.rank,
            name=t.name,
            differential_per_hour=t.differential_per_hour,
            min_cross_training_hours=t.min_cross_training_hours,
            min_other_side_skills=t.min_other_side_skills,
            min_tenure_days=t.min_tenure_days,
            required_modules=tuple(sorted(m.code for m in t.required_modules.all())),
            required_skills=tuple(
                sorted((r.skill.code, r.min_level) for r in t.skill_requirements.all())
            ),
            pay_code=t.pay_code,
        )
        for t in tiers
    ]


def skill_sides() -> dict[str, str | None]:
    """Skill code -> the owning department's side; None for universal skills (one query)."""
    return dict(Skill.objects.values_list("code", "department__side"))


def catalogue_skills() -> list[tuple[str, str, str | None, int | None]]:
    """(code, name, owning side or None, recert months) of every skill (one query)."""
    return list(
        Skill.objects.order_by("code").values_list(
            "code", "name", "department__side", "recert_months"
        )
    )


def current_period(day: datetime.date) -> PayPeriod | None:
    """The pay period containing `day`, if payroll has defined one (one query)."""
    return PayPeriod.objects.filter(start__lte=day, end__gte=day).order_by("-start").first()


# Who a fact belongs to: (employee id, number, home department code, side, hired, terminated).
Person = tuple[int, str, str, str, datetime.date, datetime.date | None]
PERSON_FIELDS = (
    "id",
    "employee_number",
    "department__code",
    "department__side",
    "hire_date",
    "termination_date",
)


def for_employees(queryset: QuerySet, ids: Sequence[int]) -> QuerySet:
    """Rows of these employees: an IN list for a few, every row for many (see SCAN_ABOVE)."""
    if len(ids) > SCAN_ABOVE:
        return queryset
    return queryset.filter(employee_id__in=ids)


def _signoff_facts(rows: Iterable[tuple]) -> Iterator[tuple[int, SignoffFact]]:
    """(employee id, skill code, level, assessed on, revoked on, recert months) rows as facts."""
    expiry: dict[tuple[datetime.date, int], datetime.date | None] = {}
    for emp_id, code, level, assessed, revoked, months in rows:
        # Many sign-offs share a date and a validity period: work each expiry out once.
        key = (assessed, months)
        if key not in expiry:
            expiry[key] = signoff_expires_on(assessed, months)
        yield emp_id, SignoffFact(code, level, assessed, expiry[key], revoked)


def _completion_facts(rows: Iterable[tuple]) -> Iterator[tuple[int, CompletionFact]]:
    """(employee id, module code, completed on, score, pass mark) rows as facts."""
    for emp_id, code, done, score, mark in rows:
        yield emp_id, CompletionFact(code, done, score, mark)


SIGNOFF_FIELDS = (
    "employee_id",
    "skill__code",
    "level",
    "assessed_on",
    "revoked_on",
    "skill__recert_months",
)
COMPLETION_FIELDS = ("employee_id", "module__code", "completed_on", "score", "module__pass_mark")


def signoff_facts_of(employee_id: int, day: datetime.date) -> tuple[SignoffFact, ...]:
    """Every sign-off of one employee up to `day`, expired and revoked ones too (one query):
    what a lapse's reason names."""
    rows = (
        Signoff.objects.filter(employee_id=employee_id, assessed_on__lte=day)
        .order_by()
        .values_list(*SIGNOFF_FIELDS)
    )
    return tuple(fact for _, fact in _signoff_facts(rows))


def employee_facts(employees: QuerySet[Employee], day: datetime.date) -> list[EmployeeFacts]:
    """Every fact up to `day` of every employee of the queryset, by number, in four queries."""
    ids = employees.values("id")
    # .order_by(): the models' default orderings would add joins and a sort the engine ignores.
    attendances = (
        (emp_id, AttendanceFact(date, host, hours))
        for emp_id, date, host, hours in Attendance.objects.filter(
            employee_id__in=ids, session__date__lte=day
        )
        .order_by()
        .values_list("employee_id", "session__date", "session__host_department__code", "hours")
    )
    signoffs = _signoff_facts(
        Signoff.objects.filter(employee_id__in=ids, assessed_on__lte=day)
        .order_by()
        .values_list(*SIGNOFF_FIELDS)
    )
    completions = _completion_facts(
        ModuleCompletion.objects.filter(employee_id__in=ids, completed_on__lte=day)
        .order_by()
        .values_list(*COMPLETION_FIELDS)
    )
    people = employees.order_by("employee_number").values_list(*PERSON_FIELDS)
    return list(facts_by_person(people, attendances, signoffs, completions).values())


class DecidingFacts(NamedTuple):
    """What can decide the tiers of some people between a pay period's eve and a later day."""

    facts: dict[int, EmployeeFacts]  # without attendances: the hours are summed separately
    certifications: dict[int, list[CertificationFact]]


def deciding_facts(
    people: Sequence[Person],
    *,
    day: datetime.date,
    eve: datetime.date,
    tiers: Sequence[TierRule],
    months_in_use: Sequence[int],
) -> DecidingFacts:
    """The facts that can decide a tier of `people` on any day from `eve` to `day` (3 queries).

    The sign-offs of required skills and the other-side ones at level 3 still valid on the eve,
    passing completions of required modules, and certifications: the engine answers from them
    exactly as from all the records, for every day in that range.
    """
    ids = [person[0] for person in people]
    required_skills = {code for t in tiers for code, _ in t.required_skills}
    signoffs = _signoff_facts(
        for_employees(Signoff.objects.filter(assessed_on__lte=day), ids)
        .filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=eve))
        .filter(not_expired_q(eve, months_in_use))
        .filter(
            Q(skill__code__in=required_skills)
            | (
                Q(level__gte=QUALIFIED_LEVEL, skill__department__isnull=False)
                & ~Q(skill__department__side=F("employee__department__side"))
            )
        )
        .order_by()
        .values_list(*SIGNOFF_FIELDS)
    )
    required_modules = {code for t in tiers for code in t.required_modules}
    completions = _completion_facts(
        for_employees(ModuleCompletion.objects.filter(completed_on__lte=day), ids)
        .filter(module__code__in=required_modules, score__gte=F("module__pass_mark"))
        .order_by()
        .values_list(*COMPLETION_FIELDS)
    )
    certifications: dict[int, list[CertificationFact]] = defaultdict(list)
    for emp_id, rank, certified, revoked in (
        for_employees(Certification.objects.filter(certified_on__lte=day), ids)
        .order_by()
        .values_list("employee_id", "tier__rank", "certified_on", "revoked_on")
    ):
        certifications[emp_id].append(CertificationFact(rank, certified, revoked))
    return DecidingFacts(facts_by_person(people, (), signoffs, completions), certifications)


def outside_hours(
    ids: Sequence[int], day: datetime.date, eve: datetime.date
) -> dict[int, tuple[Decimal, Decimal]]:
    """Cross-training hours of each person to `day` and to `eve`, summed in SQL (one query)."""
    by_employee = ExpressionWrapper(F("employee_id") + 0, output_field=IntegerField())
    return {
        emp_id: (Decimal(total or 0), Decimal(before or 0))
        for emp_id, total, before in (
            for_employees(Attendance.objects.filter(session__date__lte=day), ids)
            .exclude(session__host_department_id=F("employee__department_id"))
            # "+ 0": SQLite then groups after one sequential pass instead of walking an index.
            .annotate(emp=by_employee)
            .values("emp")
            .annotate(total=Sum("hours"), before=Sum("hours", filter=Q(session__date__lte=eve)))
            .order_by()
            .values_list("emp", "total", "before")
        )
    }


def tier_status_list(
    day: datetime.date, employees: QuerySet[Employee] | None = None
) -> list[TierStatus]:
    """The tier status on `day` of each employee (default: everyone active that day), by number."""
    if employees is None:
        employees = employees_active_on(day)
    tiers = tier_rules()
    sides = skill_sides()
    return [evaluate_tiers(f, tiers, sides, day) for f in employee_facts(employees, day)]


# --- Payroll ----------------------------------------------------------------------------------


def previous_period(period: PayPeriod) -> PayPeriod | None:
    """The period that ends the day before `period` starts (periods are contiguous)."""
    return PayPeriod.objects.filter(end=period.start - ONE_DAY).first()


def payroll_rows_at_most(period: PayPeriod) -> int:
    """An upper bound of `payroll_lines(period)`'s rows, without working them out: a closed
    period's frozen rows; for an open one, the people it works out (certified before the
    period, or paid in the closed period before it)."""
    if period.is_closed:
        return period.frozen_rows.count()
    people = Q(
        pk__in=Certification.objects.filter(certified_on__lt=period.start).values("employee_id")
    )
    previous = previous_period(period)
    if previous is not None and previous.is_closed:
        people |= Q(pk__in=previous.frozen_rows.values("employee_id"))
    return Employee.objects.filter(people).count()


def payroll_lines(period: PayPeriod, employee_ids: set[int] | None = None) -> list[PayLine]:
    """The payroll export of `period`, by employee number: everyone whose paid tier for it or
    for the previous period is above 0 (or only those of them among `employee_ids`).

    A closed period gives exactly the rows frozen when it was closed. An open one is computed
    from the records (never from the shared rank cache): facts up to the period's eve, the
    certifications, the pure pay rule; the previous period's tier is its frozen row when that
    period is closed. A fixed number of queries whatever the head count.
    """
    if period.is_closed:
        return [
            PayLine(*values)
            for values in period.frozen_rows.order_by("employee_number").values_list(
                "employee_number",
                "last_name",
                "first_name",
                "department_code",
                "period__start",
                "period__end",
                "paid_tier_rank",
                "tier_name",
                "differential_per_hour",
                "previous_tier_rank",
                "change",
                "lapsed_reason",
                "pay_code",
                "lapsed",
            )
        ]
    start = period.start
    previous = previous_period(period)
    certified_before = Certification.objects.filter(certified_on__lt=start)
    if employee_ids is not None:
        certified_before = certified_before.filter(employee_id__in=employee_ids)
    certifications: dict[int, list[CertificationFact]] = defaultdict(list)
    for emp_id, rank, certified, revoked in certified_before.order_by().values_list(
        "employee_id", "tier__rank", "certified_on", "revoked_on"
    ):
        certifications[emp_id].append(CertificationFact(rank, certified, revoked))
    frozen: dict[int, int] = {}
    if previous is not None and previous.is_closed:
        rows = previous.frozen_rows.all()
        if employee_ids is not None:
            rows = rows.filter(employee_id__in=employee_ids)
        frozen = dict(rows.values_list("employee_id", "paid_tier_rank"))
    people = Employee.objects.filter(pk__in=set(certifications) | set(frozen))
    names = {
        number: (number, last, first, department)
        for number, last, first, department in people.values_list(
            "employee_number", "last_name", "first_name", "department__code"
        )
    }
    ids = dict(people.values_list("employee_number", "pk"))
    tiers = tier_rules()
    by_rank = {t.rank: t for t in tiers}
    sides = skill_sides()
    lines = []
    for facts in employee_facts(people, start - ONE_DAY):
        emp_id = ids[facts.employee_number]
        certs = certifications.get(emp_id, ())
        paid = pay_for_period(facts, certs, tiers, sides, start)
        if previous is None:
            before = 0
        elif previous.is_closed:
            before = frozen.get(emp_id, 0)
        else:
            before = pay_for_period(facts, certs, tiers, sides, previous.start).rank
        if paid.rank or before:
            lines.append(
                pay_line(
                    person=names[facts.employee_number],
                    period=Period(period.start, period.end),
                    paid=paid,
                    previous_rank=before,
                    tiers=by_rank,
                )
            )
    return lines
