"""Reads of training records for the trainer's pages; each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from core.tables import name_order
from core.text import search_words
from skills import rules as skill_rules
from skills.models import Department, Employee, Signoff, Skill
from skills.selectors import employee_active_q
from training import rules
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule
from training.services import SESSION_RECORDED

SEARCH_LIMIT = 20


# --- Sessions --------------------------------------------------------------------------------


def session_list() -> QuerySet[TrainingSession]:
    """Sessions with what the list shows: host, trainer, head count and hours."""
    # Correlated subqueries, not a join and GROUP BY: the database works them out for the
    # page's 25 rows only, and counting the pages needs no join at all (a join grouped every
    # session's attendance, ~0.4 s at 15,000 sessions on every page of the list).
    rows = Attendance.objects.filter(session=OuterRef("pk")).order_by().values("session")
    return (
        TrainingSession.objects.select_related("host_department", "trainer")
        .annotate(
            attendee_count=Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), Value(0)),
            attendee_hours=Subquery(rows.annotate(h=Sum("hours")).values("h")),
        )
        .order_by("-date", "-session_ref")
    )


def session_get(session_ref: str) -> TrainingSession:
    """One session with its skills and attendees (raises DoesNotExist)."""
    return (
        TrainingSession.objects.select_related("host_department", "trainer", "recorded_by")
        .prefetch_related(
            Prefetch("skills", Skill.objects.select_related("department")),
            Prefetch(
                "attendances",
                Attendance.objects.select_related("employee__department").order_by(
                    "employee__employee_number"
                ),
            ),
        )
        .get(session_ref=session_ref)
    )


def session_signoffs(session: TrainingSession) -> QuerySet[Signoff]:
    """The sign-offs its trainer gave its attendees on its skills on its date."""
    return (
        Signoff.objects.filter(
            employee__attendances__session=session,
            skill__sessions=session,
            assessed_on=session.date,
            assessor_id=session.trainer_id,
        )
        .select_related("employee", "skill", "revoked_by")
        .order_by("employee__employee_number", "skill__code")
        .distinct()
    )


@dataclass
class Correction:
    """One correction of a session: who, when, why and what changed."""

    when: datetime.datetime
    who: str
    why: str
    changes: list[str] = field(default_factory=list)


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return "unknown"
    employee = getattr(user, "employee", None)
    name = user.get_full_name() or (employee.full_name if employee else "")
    return f"{name} ({user.get_username()})" if name else user.get_username()


def _hours(value) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


def session_corrections(session: TrainingSession) -> list[Correction]:
    """Every change after the session was recorded, newest first (three queries).

    A correction (training.services.session_correct) saves the session first with the reason,
    then the attendance rows: each attendance change belongs to the latest session change
    before it.
    """
    heads = list(
        session.history.select_related("history_user__employee")
        .exclude(history_change_reason=SESSION_RECORDED)
        .order_by("history_date", "history_id")
    )
    records = list(
        Attendance.history.filter(session_id=session.pk)
        .select_related("history_user__employee")
        .order_by("history_date", "history_id")
    )
    numbers = dict(
        Employee.objects.filter(pk__in={r.employee_id for r in records}).values_list(
            "pk", "employee_number"
        )
    )
    corrections = [
        Correction(h.history_date, _who(h), h.history_change_reason or "") for h in heads
    ]
    last_hours: dict[int, Decimal] = {}
    for record in records:
        number = numbers.get(record.employee_id, "?")
        before = last_hours.get(record.id)
        last_hours[record.id] = record.hours
        if record.history_change_reason == SESSION_RECORDED:
            continue
        if record.history_type == "+":
            text = f"added {number} ({_hours(record.hours)} h)"
        elif record.history_type == "-":
            text = f"removed {number}"
        elif before is not None and before != record.hours:
            text = f"{number}: {_hours(before)} h → {_hours(record.hours)} h"
        else:
            text = f"{number}: saved again"
        owner = None
        for correction in corrections:
            if correction.when <= record.history_date:
                owner = correction
        if owner is None:
            owner = Correction(
                record.history_date, _who(record), record.history_change_reason or ""
            )
            corrections.append(owner)
            corrections.sort(key=lambda c: c.when)
        owner.changes.append(text)
    return sorted(corrections, key=lambda c: c.when, reverse=True)


# --- People ----------------------------------------------------------------------------------


def employee_search(
    *,
    text: str = "",
    day: datetime.date,
    department: Department | None = None,
    shift: str = "",
    limit: int = SEARCH_LIMIT,
) -> list[dict]:
    """Employees active on `day` whose name or number holds every word of `text` in part,
    ignoring case and accents (core.text), in name order."""
    people = Employee.objects.filter(employee_active_q(day)).select_related("department")
    if department is not None:
        people = people.filter(department=department)
    if shift:
        people = people.filter(shift=shift)
    words = search_words(text)
    if not words and department is None and not shift:
        return []
    for word in words:
        people = people.filter(search_key__contains=word)
    return [
        {
            "number": e.employee_number,
            "name": e.full_name,
            "department": e.department.code,
            "shift": e.get_shift_display(),
            "label": f"{e.full_name} · {e.department.code} · {e.get_shift_display()}",
        }
        for e in people.order_by(*name_order("sort_key", "employee_number"))[:limit]
    ]


def employees_for_group(
    *, day: datetime.date, department: Department | None = None, shift: str = ""
) -> list[Employee]:
    """Everyone of a department and/or shift active on `day`, by number (one query)."""
    people = Employee.objects.filter(employee_active_q(day))
    if department is not None:
        people = people.filter(department=department)
    if shift:
        people = people.filter(shift=shift)
    return list(people.order_by("employee_number"))


@dataclass
class SkillHistory:
    """One skill of an employee: the level today and every sign-off, newest first."""

    skill: Skill
    level: int
    signoffs: list[Signoff]


def employee_skill_history(employee: Employee, day: datetime.date) -> list[SkillHistory]:
    """Each skill the employee was ever signed off on, with all its sign-offs (one query)."""
    warning = settings.TRACKER["EXPIRY_WARNING_DAYS"]
    signoffs = (
        Signoff.objects.filter(employee=employee)
        .select_related("skill__department", "assessor", "recorded_by", "revoked_by")
        .order_by("skill__code", "-assessed_on", "-level", "-pk")
    )
    grouped: dict[int, list[Signoff]] = defaultdict(list)
    skills: dict[int, Skill] = {}
    for signoff in signoffs:
        span = skill_rules.SignoffSpan(
            signoff.level, signoff.assessed_on, signoff.expires_on, signoff.revoked_on
        )
        signoff.span = span
        signoff.status = skill_rules.signoff_status(span, day, warning)
        grouped[signoff.skill_id].append(signoff)
        skills[signoff.skill_id] = signoff.skill
    return [
        SkillHistory(skills[pk], skill_rules.level_on([s.span for s in rows], day), rows)
        for pk, rows in grouped.items()
    ]


def employee_attendance(employee: Employee) -> QuerySet[Attendance]:
    return (
        Attendance.objects.filter(employee=employee)
        .select_related("session__host_department", "session__trainer")
        .order_by("-session__date", "-session__session_ref")
    )


def cross_training_hours(employee: Employee, day: datetime.date) -> Decimal:
    """DOMAIN.md: hours in sessions dated on or before `day` hosted outside the home department."""
    total = (
        Attendance.objects.filter(employee=employee, session__date__lte=day)
        .exclude(session__host_department_id=employee.department_id)
        .aggregate(total=Sum("hours"))["total"]
    )
    return total or Decimal("0")


# --- Modules and new hires -------------------------------------------------------------------


def module_list() -> QuerySet[WorkflowModule]:
    return WorkflowModule.objects.select_related("owner").order_by("code")


def modules_due_for_review(today: datetime.date) -> Q:
    """Modules whose last review + the review interval is on or before `today`."""
    months = settings.TRACKER["REVIEW_INTERVAL_MONTHS"]
    return Q(last_reviewed_on__lte=rules.review_due_cutoff(today, months))


@dataclass
class PendingModule:
    module: WorkflowModule
    deadline: datetime.date
    days_left: int


@dataclass
class NewHire:
    employee: Employee
    pending: list[PendingModule]
    passed: int
    total: int

    @property
    def first_deadline(self) -> datetime.date:
        return min(p.deadline for p in self.pending)

    @property
    def days_left(self) -> int:
        return min(p.days_left for p in self.pending)


def new_hire_list(
    today: datetime.date, employees: QuerySet[Employee] | None = None
) -> list[NewHire]:
    """Active employees with a new-hire module not yet passed, whose deadline (hire date +
    the module's new_hire_days) is ahead or passed less than NEW_HIRE_FOLLOW_UP_DAYS ago;
    soonest (or most overdue) first. Three queries.
    """
    modules = list(WorkflowModule.objects.filter(is_new_hire=True).order_by("code"))
    if not modules:
        return []
    follow_up = settings.TRACKER["NEW_HIRE_FOLLOW_UP_DAYS"]
    longest = max(m.new_hire_days for m in modules)
    earliest_hire = today - datetime.timedelta(days=longest + follow_up)
    people = (employees if employees is not None else Employee.objects.all()).filter(
        employee_active_q(today), hire_date__gte=earliest_hire
    )
    people = list(people.select_related("department"))
    passed = set()
    for employee_id, module_id, score, mark in ModuleCompletion.objects.filter(
        employee_id__in=[e.pk for e in people],
        module__in=modules,
        completed_on__lte=today,
    ).values_list("employee_id", "module_id", "score", "module__pass_mark"):
        if rules.passes(score, mark):
            passed.add((employee_id, module_id))
    rows = []
    for employee in people:
        pending = []
        for module in modules:
            if (employee.pk, module.pk) in passed:
                continue
            deadline = rules.new_hire_deadline(employee.hire_date, module.new_hire_days)
            days_left = (deadline - today).days
            if days_left >= -follow_up:
                pending.append(PendingModule(module, deadline, days_left))
        if pending:
            done = sum(1 for m in modules if (employee.pk, m.pk) in passed)
            rows.append(NewHire(employee, pending, done, len(modules)))
    rows.sort(key=lambda r: (r.days_left, r.employee.employee_number))
    return rows


# --- The trainer's home ----------------------------------------------------------------------


@dataclass
class Expiring:
    employee: Employee
    skill: Skill
    level: int
    expires_on: datetime.date
    days_left: int


def expiring_signoffs_of_trainees(trainer: Employee, today: datetime.date) -> list[Expiring]:
    """Sign-offs `trainer` gave that expire within the warning window and that a person's
    current level on a skill rests on: no other valid sign-off at that level (by anyone)
    lasts longer (one query)."""
    warning = settings.TRACKER["EXPIRY_WARNING_DAYS"]
    trainees = Signoff.objects.filter(assessor=trainer).values("employee_id")
    signoffs = (
        Signoff.objects.filter(
            employee_id__in=trainees,
            assessed_on__lte=today,
            skill__recert_months__isnull=False,
        )
        .exclude(revoked_on__lte=today)
        .select_related("employee", "skill")
    )
    by_pair: dict[tuple[int, int], list[Signoff]] = defaultdict(list)
    for signoff in signoffs:
        by_pair[(signoff.employee_id, signoff.skill_id)].append(signoff)
    found = []
    for rows in by_pair.values():
        valid = [s for s in rows if s.is_valid_on(today)]
        if not valid:
            continue
        level = max(s.level for s in valid)
        deciding = max((s for s in valid if s.level == level), key=lambda s: s.expires_on)
        days_left = (deciding.expires_on - today).days
        if days_left <= warning and deciding.assessor_id == trainer.pk:
            found.append(
                Expiring(deciding.employee, deciding.skill, level, deciding.expires_on, days_left)
            )
    found.sort(key=lambda e: (e.expires_on, e.employee.employee_number, e.skill.code))
    return found


def trainer_sessions(
    *, trainer: Employee | None, user, today: datetime.date
) -> QuerySet[TrainingSession]:
    """Sessions given by the trainer or recorded by the login, in the recent window up to today."""
    since = today - datetime.timedelta(days=settings.TRACKER["RECENT_SESSION_DAYS"])
    mine = Q(recorded_by=user)
    if trainer is not None:
        mine |= Q(trainer=trainer)
    return (
        session_list()
        .filter(mine, date__gte=since, date__lte=today)
        .order_by("-date", "-session_ref")
    )


def owned_modules_for_review(owner: Employee, today: datetime.date) -> list[WorkflowModule]:
    """The owner's modules due for review now or within the expiry warning window."""
    soon = today + datetime.timedelta(days=settings.TRACKER["EXPIRY_WARNING_DAYS"])
    return list(
        WorkflowModule.objects.filter(modules_due_for_review(soon), owner=owner).order_by(
            "last_reviewed_on", "code"
        )
    )
