"""Reads of skills and sign-offs: coverage per department, who can help, expiring sign-offs.

Every function answers in a fixed number of queries whatever the number of people or rows.
A sign-off's expiry (calendar months after assessment, DOMAIN.md "Skills and sign-offs") is
turned into SQL as "assessed on or after the first date whose sign-off is still valid", one
bound per distinct `recert_months`, so the database does the filtering.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from skills.models import Department, Employee, Level, Signoff, Skill
from skills.rules import add_months

QUALIFIED_LEVEL = Level.INDEPENDENT  # level 3: qualified, for coverage and "who can help"
SHIFTS: tuple[str, ...] = tuple(Employee.Shift.values)


def first_valid_assessment(day: datetime.date, months: int) -> datetime.date:
    """The earliest assessment date whose sign-off has not expired on `day`.

    A sign-off assessed on A with `months` of validity expires on add_months(A, months) and is
    valid on D while D < that date. add_months never decreases as A grows, so the valid
    assessment dates are exactly those on or after the date returned here.
    """
    candidate = add_months(day, -months) - datetime.timedelta(days=4)
    while add_months(candidate, months) <= day:
        candidate += datetime.timedelta(days=1)
    return candidate


def recert_months_in_use() -> list[int]:
    """The distinct validity periods of the catalogue's skills (one query)."""
    return sorted(
        Skill.objects.exclude(recert_months__isnull=True)
        .order_by()
        .values_list("recert_months", flat=True)
        .distinct()
    )


def not_expired_q(day: datetime.date, months_in_use: Iterable[int], prefix: str = "") -> Q:
    """Sign-offs that have not expired on `day` (whether assessed yet or revoked is not checked)."""
    never = Q(**{f"{prefix}skill__recert_months__isnull": True})
    bounds = [
        Q(
            **{
                f"{prefix}skill__recert_months": months,
                f"{prefix}assessed_on__gte": first_valid_assessment(day, months),
            }
        )
        for months in months_in_use
    ]
    return reduce(or_, bounds, never)


def signoff_valid_q(day: datetime.date, months_in_use: Iterable[int], prefix: str = "") -> Q:
    """Sign-offs valid on `day`: assessed by then, not revoked on or before it, not expired."""
    return (
        Q(**{f"{prefix}assessed_on__lte": day})
        & (Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": day}))
        & not_expired_q(day, months_in_use, prefix)
    )


def employee_active_q(day: datetime.date, prefix: str = "") -> Q:
    """Employees active on `day`: hired on or before it and not terminated on or before it."""
    return Q(**{f"{prefix}hire_date__lte": day}) & (
        Q(**{f"{prefix}termination_date__isnull": True})
        | Q(**{f"{prefix}termination_date__gt": day})
    )


# --- coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SkillCover:
    """One skill of a department: qualified people homed there and the bench homed elsewhere."""

    code: str
    name: str
    home: tuple[int, ...]  # per shift, in SHIFTS order
    bench: tuple[int, ...]

    @property
    def home_total(self) -> int:
        return sum(self.home)

    @property
    def bench_total(self) -> int:
        return sum(self.bench)

    @property
    def total(self) -> int:
        return self.home_total + self.bench_total

    @property
    def single_point_of_failure(self) -> bool:
        """One or no qualified person in all (DOMAIN.md "Coverage")."""
        return self.total <= 1


@dataclass(frozen=True)
class DepartmentCover:
    code: str
    name: str
    side: str
    side_label: str
    site: str
    skills: tuple[SkillCover, ...] = field(default=())

    @property
    def single_points_of_failure(self) -> int:
        return sum(1 for s in self.skills if s.single_point_of_failure)


def coverage_matrix(
    day: datetime.date, departments: QuerySet[Department] | None = None
) -> list[DepartmentCover]:
    """For each department and each skill it owns, qualified people on `day` (four queries).

    Counts active employees at level 3 or above, split by shift, homed in the department and
    homed elsewhere (the cross-trained bench).
    """
    departments_qs = Department.objects.all() if departments is None else departments
    listed = list(departments_qs.order_by("side", "code"))
    skills = list(
        Skill.objects.filter(department__in=departments_qs)
        .order_by("code")
        .values_list("pk", "code", "name", "department_id")
    )
    months = recert_months_in_use()
    # Plain rows counted here: SQLite's GROUP BY over the sign-offs is slower than Python.
    qualified = (
        Signoff.objects.filter(
            signoff_valid_q(day, months),
            employee_active_q(day, "employee__"),
            level__gte=QUALIFIED_LEVEL,
        )
        .filter(
            Q(skill__department__isnull=False)
            if departments is None
            else Q(skill__department__in=departments_qs)
        )
        .order_by()
        .values_list("skill_id", "employee_id", "employee__department_id", "employee__shift")
    )
    owner = {pk: dept_id for pk, _, _, dept_id in skills}
    home: dict[int, list[int]] = defaultdict(lambda: [0] * len(SHIFTS))
    bench: dict[int, list[int]] = defaultdict(lambda: [0] * len(SHIFTS))
    seen: set[tuple[int, int]] = set()
    for skill_id, emp_id, dept_id, shift in qualified:
        if (skill_id, emp_id) in seen:
            continue
        seen.add((skill_id, emp_id))
        target = home if dept_id == owner[skill_id] else bench
        target[skill_id][SHIFTS.index(shift)] += 1
    by_department: dict[int, list[SkillCover]] = defaultdict(list)
    for pk, code, name, dept_id in skills:
        by_department[dept_id].append(SkillCover(code, name, tuple(home[pk]), tuple(bench[pk])))
    return [
        DepartmentCover(
            d.code,
            d.name,
            d.side,
            d.get_side_display(),
            d.site,
            tuple(by_department.get(d.pk, ())),
        )
        for d in listed
    ]


@dataclass(frozen=True)
class Helper:
    """An active employee homed elsewhere, qualified on some of a department's skills."""

    employee_number: str
    first_name: str
    last_name: str
    department_code: str
    department_name: str
    side: str
    site: str
    shift: str
    skills: tuple[tuple[str, int], ...]  # (skill code, level), by code

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def skill_count(self) -> int:
        return len(self.skills)


def helper_list(
    day: datetime.date, department: Department, employees: QuerySet[Employee] | None = None
) -> list[Helper]:
    """Who can help `department` on `day`: most of its skills first (DOMAIN.md "Coverage").

    Active employees homed in another department with level 3 or above on at least one skill
    the department owns; ties by employee number. `employees` narrows the people looked at
    (a site, a shift). Two queries.
    """
    signoffs = Signoff.objects.all()
    if employees is not None:
        signoffs = signoffs.filter(employee__in=employees)
    rows = (
        signoffs.filter(
            signoff_valid_q(day, recert_months_in_use()),
            employee_active_q(day, "employee__"),
            level__gte=QUALIFIED_LEVEL,
            skill__department=department,
        )
        .exclude(employee__department=department)
        .order_by()
        .values_list(
            "employee_id",
            "employee__employee_number",
            "employee__first_name",
            "employee__last_name",
            "employee__department__code",
            "employee__department__name",
            "employee__department__side",
            "employee__site",
            "employee__department__site",
            "employee__shift",
            "skill__code",
            "level",
        )
    )
    people: dict[int, tuple] = {}
    levels: dict[int, dict[str, int]] = defaultdict(dict)
    for emp_id, *person, code, level in rows:
        people[emp_id] = tuple(person)
        levels[emp_id][code] = max(level, levels[emp_id].get(code, 0))
    helpers = [
        Helper(
            employee_number=number,
            first_name=first,
            last_name=last,
            department_code=dept_code,
            department_name=dept_name,
            side=side,
            site=site or dept_site,
            shift=shift,
            skills=tuple(sorted(levels[emp_id].items())),
        )
        for emp_id, (
            number,
            first,
            last,
            dept_code,
            dept_name,
            side,
            site,
            dept_site,
            shift,
        ) in people.items()
    ]
    helpers.sort(key=lambda h: (-h.skill_count, h.employee_number))
    return helpers


# --- expiring sign-offs --------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiringSignoff:
    """A valid sign-off that expires soon and has not been renewed."""

    signoff_id: int
    employee_number: str
    employee_name: str
    department_code: str
    skill_code: str
    skill_name: str
    level: int
    assessed_on: datetime.date
    expires_on: datetime.date
    days_left: int
    assessor_number: str
    assessor_name: str

    @property
    def level_label(self) -> str:
        return Level(self.level).label


def expiring_signoff_list(
    today: datetime.date,
    days: int,
    *,
    employees: QuerySet[Employee] | None = None,
    signoffs: QuerySet[Signoff] | None = None,
) -> list[ExpiringSignoff]:
    """Sign-offs valid today that expire within `days` days and have not been renewed (3 queries).

    Expiring: valid today, held by an active employee, with an expiry date in
    (today, today + days]. Renewed, and so left out: another sign-off of the same person and
    skill at the same or a higher level is valid on that expiry date. `employees` limits the
    people looked at; `signoffs` narrows which sign-offs are listed (a trainer's, say) without
    hiding the renewals recorded by anyone else. Soonest first.
    """
    months = recert_months_in_use()
    horizon = today + datetime.timedelta(days=days)
    # A renewal is valid on an expiry date after today, so it has not expired today either.
    renewals = Signoff.objects.filter(
        not_expired_q(today, months),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=today),
        employee_active_q(today, "employee__"),
        skill__recert_months__isnull=False,
        assessed_on__lte=horizon,
    )
    candidates = Signoff.objects.all() if signoffs is None else signoffs
    if employees is not None:
        renewals = renewals.filter(employee__in=employees)
        candidates = candidates.filter(employee__in=employees)
    candidates = candidates.filter(
        signoff_valid_q(today, months),
        employee_active_q(today, "employee__"),
        skill__recert_months__isnull=False,
    ).exclude(not_expired_q(horizon, months))
    rows = list(
        candidates.order_by().values_list(
            "pk",
            "employee_id",
            "skill_id",
            "level",
            "assessed_on",
            "skill__recert_months",
            "employee__employee_number",
            "employee__first_name",
            "employee__last_name",
            "employee__department__code",
            "skill__code",
            "skill__name",
            "assessor__employee_number",
            "assessor__first_name",
            "assessor__last_name",
        )
    )
    if not rows:
        return []
    others: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    for pk, emp_id, skill_id, level, assessed, revoked, months_valid in (
        renewals.filter(level__gte=min(r[3] for r in rows))
        .order_by()
        .values_list(
            "pk",
            "employee_id",
            "skill_id",
            "level",
            "assessed_on",
            "revoked_on",
            "skill__recert_months",
        )
    ):
        others[(emp_id, skill_id)].append((pk, level, assessed, revoked, months_valid))

    found = []
    for (
        pk,
        emp_id,
        skill_id,
        level,
        assessed,
        months_valid,
        number,
        first,
        last,
        dept,
        code,
        skill_name,
        assessor_number,
        assessor_first,
        assessor_last,
    ) in rows:
        expires = add_months(assessed, months_valid)
        renewed = any(
            other_pk != pk
            and other_level >= level
            and other_assessed <= expires
            and (other_revoked is None or other_revoked > expires)
            and add_months(other_assessed, other_months) > expires
            for other_pk, other_level, other_assessed, other_revoked, other_months in others[
                (emp_id, skill_id)
            ]
        )
        if renewed:
            continue
        found.append(
            ExpiringSignoff(
                signoff_id=pk,
                employee_number=number,
                employee_name=f"{first} {last}",
                department_code=dept,
                skill_code=code,
                skill_name=skill_name,
                level=level,
                assessed_on=assessed,
                expires_on=expires,
                days_left=(expires - today).days,
                assessor_number=assessor_number,
                assessor_name=f"{assessor_first} {assessor_last}",
            )
        )
    found.sort(key=lambda e: (e.expires_on, e.employee_number, e.skill_code))
    return found
