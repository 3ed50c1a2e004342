"""Reads for tiers and eligibility: a fixed number of queries whatever the head count."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch, QuerySet

from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    TierStatus,
    evaluate_tiers,
)
from certificates.models import Tier, TierSkillRequirement
from skills.models import Employee, Signoff, Skill
from skills.rules import add_months
from skills.selectors import employee_active_q
from training.models import Attendance, ModuleCompletion


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
        )
        for t in tiers
    ]


def skill_sides() -> dict[str, str | None]:
    """Skill code -> the owning department's side; None for universal skills (one query)."""
    return dict(Skill.objects.values_list("code", "department__side"))


def employee_facts(employees: QuerySet[Employee], day: datetime.date) -> list[EmployeeFacts]:
    """Facts up to `day` for every employee of the queryset, in four queries."""
    ids = employees.values("id")
    attendances: dict[int, list[AttendanceFact]] = defaultdict(list)
    # .order_by(): the models' default orderings would add joins and a sort the engine ignores.
    for emp_id, date, host, hours in (
        Attendance.objects.filter(employee_id__in=ids, session__date__lte=day)
        .order_by()
        .values_list("employee_id", "session__date", "session__host_department__code", "hours")
    ):
        attendances[emp_id].append(AttendanceFact(date, host, hours))

    signoffs: dict[int, list[SignoffFact]] = defaultdict(list)
    for emp_id, code, level, assessed, revoked, months in (
        Signoff.objects.filter(employee_id__in=ids, assessed_on__lte=day).order_by()
    ).values_list(
        "employee_id", "skill__code", "level", "assessed_on", "revoked_on", "skill__recert_months"
    ):
        expires = add_months(assessed, months) if months else None
        signoffs[emp_id].append(SignoffFact(code, level, assessed, expires, revoked))

    completions: dict[int, list[CompletionFact]] = defaultdict(list)
    for emp_id, code, done, score, mark in (
        ModuleCompletion.objects.filter(employee_id__in=ids, completed_on__lte=day).order_by()
    ).values_list("employee_id", "module__code", "completed_on", "score", "module__pass_mark"):
        completions[emp_id].append(CompletionFact(code, done, score, mark))

    rows = employees.order_by("employee_number").values_list(
        "id",
        "employee_number",
        "department__code",
        "department__side",
        "hire_date",
        "termination_date",
    )
    return [
        EmployeeFacts(
            employee_number=number,
            home_department=dept,
            side=side,
            hire_date=hired,
            termination_date=terminated,
            attendances=tuple(attendances.get(emp_id, ())),
            signoffs=tuple(signoffs.get(emp_id, ())),
            completions=tuple(completions.get(emp_id, ())),
        )
        for emp_id, number, dept, side, hired, terminated in rows
    ]


def tier_status_list(
    day: datetime.date, employees: QuerySet[Employee] | None = None
) -> list[TierStatus]:
    """The tier status on `day` of each employee (default: everyone active that day), by number."""
    if employees is None:
        employees = employees_active_on(day)
    tiers = tier_rules()
    sides = skill_sides()
    return [evaluate_tiers(f, tiers, sides, day) for f in employee_facts(employees, day)]
