"""Reads behind the progress pages: one employee's progress, the team table's rows, home summaries.

Selectors (a fixed number of queries whatever the head count) that feed the pure engine
(certificates/eligibility.py) and the pay rule (certificates/pay.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.db.models import ExpressionWrapper, F, IntegerField, Q, QuerySet, Sum

from certificates import rank_cache
from certificates.eligibility import (
    QUALIFIED_LEVEL,
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    Requirement,
    SignoffFact,
    TierRule,
    TierStatus,
    eligible_rank,
    evaluate_tiers,
)
from certificates.models import Certification, PayPeriod
from certificates.pay import (
    CertificationFact,
    PaidTier,
    certified_rank_before,
    certified_rank_on,
    paid_rank,
    paid_tier,
)
from certificates.selectors import employee_facts, tier_rules
from core.tables import name_order
from skills.models import Department, Employee, Level, Signoff, Skill
from skills.rules import add_months, is_active_on
from skills.selectors import (
    ExpiringSignoff,
    expiring_signoff_list,
    not_expired_q,
    recert_months_in_use,
    signoff_valid_q,
)
from training.models import Attendance, BuddyPairing, ModuleCompletion, WorkflowModule

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0")
# Host "department" of hours summed in SQL, already known to be outside the home department.
# Department codes are never blank (a database constraint), so it never equals a home code.
OUTSIDE_HOME = ""
# Above this many people the fact queries read whole tables in one sequential pass and drop
# the others in Python: SQLite answers "employee_id IN (thousands)" by an index probe per
# person, several times slower than the scan. Below it, the IN list keeps small teams cheap.
SCAN_ABOVE = 3000
# Ranking more rows than this at once goes through the shared rank cache.
RANK_CACHE_ABOVE = 200
CHART_MONTHS = 12
# The team table's name order: last name, first name, then number (ties of the same name).
NAME_FIELDS = ("last_name", "first_name", "employee_number")


def expiry_warning_days() -> int:
    return settings.TRACKER["EXPIRY_WARNING_DAYS"]


def current_period(day: datetime.date) -> PayPeriod | None:
    """The pay period containing `day`, if payroll has defined one (one query)."""
    return PayPeriod.objects.filter(start__lte=day, end__gte=day).order_by("-start").first()


def catalogue_skills() -> list[tuple[str, str, str | None, int | None]]:
    """(code, name, owning side or None, recert months) of every skill (one query)."""
    return list(
        Skill.objects.order_by("code").values_list(
            "code", "name", "department__side", "recert_months"
        )
    )


# --- the team table -------------------------------------------------------------------------


def team_context(day: datetime.date) -> TeamContext:
    """The tiers, skill sides and pay period every team row of `day` is ranked with (5 queries)."""
    skills = catalogue_skills()
    period = current_period(day)
    return TeamContext(
        day=day,
        period_start=period.start if period else day,
        tiers=sorted(tier_rules(), key=lambda t: t.rank),
        sides={code: side for code, _, side, _ in skills},
        months_in_use=sorted({months for *_, months in skills if months}),
    )


@dataclass
class TeamContext:
    """What every row of one team table shares: the day, the tiers and the skill sides."""

    day: datetime.date
    period_start: datetime.date
    tiers: list[TierRule]
    sides: dict[str, str | None]
    months_in_use: list[int] = field(default_factory=list)  # distinct validity periods

    def tier_name(self, rank: int) -> str:
        return next((t.name for t in self.tiers if t.rank == rank), "")


@dataclass
class TeamRow:
    """One employee of the team table: who they are, then (once ranked) where they stand.

    `team_member_list` fills the first part; `team_rows_rank` the rest, for every row when a
    filter or a sort needs it, else only for the rows of the page shown. The next tier's gaps
    are worked out from the same facts when first shown.
    """

    employee_id: int
    employee_number: str
    first_name: str
    last_name: str
    department_code: str
    department_name: str
    side: str
    site: str
    shift: str
    hire_date: datetime.date
    termination_date: datetime.date | None
    name_position: int = 0  # place in the name order (the database's, see core.tables)
    ranked: bool = False  # eligible, certified and paid tier and lapsing are known
    complete: bool = False  # and the hours too: the gaps can be shown
    eligible_rank: int = 0
    certified_rank: int = 0
    paid_rank: int = 0
    cross_training_hours: Decimal | None = None
    lapsing: bool = False
    facts: EmployeeFacts | None = field(default=None, repr=False)
    context: TeamContext | None = field(default=None, repr=False)
    _status: TierStatus | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def ready_to_certify(self) -> bool:
        return self.eligible_rank > self.certified_rank

    @property
    def ranks(self) -> tuple[int, int, int, bool]:
        """What the shared rank cache keeps of the row (certificates.rank_cache.Ranks)."""
        return (self.certified_rank, self.eligible_rank, self.paid_rank, self.lapsing)

    @property
    def eligible_name(self) -> str:
        return self.context.tier_name(self.eligible_rank) if self.context else ""

    @property
    def certified_name(self) -> str:
        return self.context.tier_name(self.certified_rank) if self.context else ""

    @property
    def status(self) -> TierStatus | None:
        if not self.complete:
            return None
        if self._status is None and self.facts is not None and self.context is not None:
            c = self.context
            self._status = evaluate_tiers(self.facts, c.tiers, c.sides, c.day)
        return self._status

    @property
    def next_tier_name(self) -> str:
        status = self.status
        return status.next_tier.name if status and status.next_tier else ""

    @property
    def gaps(self) -> list[str]:
        status = self.status
        return status.next_tier_gaps if status else []


def team_member_list(employees: QuerySet[Employee]) -> list[TeamRow]:
    """Who is in the team table, not yet ranked, by name (one query).

    The name order is the database's (core.tables.name_order), the same order in which the
    table pages from the database, so sorting by name gives one answer whichever way the rows
    came. A slice (a page) keeps the order it was cut in.
    """
    if not employees.query.is_sliced:
        employees = employees.order_by(*name_order(*NAME_FIELDS))
    return [
        TeamRow(
            employee_id=emp_id,
            employee_number=number,
            first_name=first,
            last_name=last,
            department_code=dept_code,
            department_name=dept_name,
            side=side,
            site=site or dept_site,
            shift=shift,
            hire_date=hired,
            termination_date=terminated,
            name_position=position,
        )
        for position, (
            emp_id,
            number,
            first,
            last,
            dept_code,
            dept_name,
            side,
            site,
            dept_site,
            shift,
            hired,
            terminated,
        ) in enumerate(
            employees.values_list(
                "id",
                "employee_number",
                "first_name",
                "last_name",
                "department__code",
                "department__name",
                "department__side",
                "site",
                "department__site",
                "shift",
                "hire_date",
                "termination_date",
            )
        )
    ]


def _restrict(queryset: QuerySet, ids: Sequence[int]) -> QuerySet:
    """Rows of these employees: an IN list for a few, every row for many (see SCAN_ABOVE)."""
    if len(ids) > SCAN_ABOVE:
        return queryset
    return queryset.filter(employee_id__in=ids)


def team_rows_rank(day: datetime.date, rows: Sequence[TeamRow], *, hours: bool = True) -> None:
    """Ranks `rows` on `day`; without their hours, many rows come from the shared rank cache.

    Only ranks are cached (never facts or gaps), with the version of the data they come from;
    after a write only the people whose records changed are ranked again
    (certificates.rank_cache), so a cached rank is always the computed one. The rows it
    supplies are ranked but not `complete`: a page computes its shown rows' gaps.
    """
    if not rows:
        return
    context = team_context(day)
    if hours or len(rows) <= RANK_CACHE_ABOVE:
        _rank_rows(context, rows, hours=hours)
        return
    by_id = {row.employee_id: row for row in rows}
    cached = _cached_ranks(day, list(by_id), lambda missing: [by_id[i] for i in missing], context)
    for row in rows:
        if row.ranked:
            continue  # ranked just now, the cache lacked them
        row.certified_rank, row.eligible_rank, row.paid_rank, row.lapsing = cached[row.employee_id]
        row.ranked, row.complete = True, False
        row.facts, row.context, row._status = None, context, None
        row.cross_training_hours = None


def _cached_ranks(
    day: datetime.date,
    ids: list[int],
    member_rows: Callable[[list[int]], list[TeamRow]],
    context: TeamContext | None = None,
) -> rank_cache.Ranks:
    """The shared cache's ranks on `day`, with those of `ids` it lacked computed and stored.

    `context` is read only when some rank is missing, unless the caller already has it.

    `member_rows` gives the unranked rows of the missing ids; they are ranked in place.
    """
    # The version is read before any rank is computed: a write landing meanwhile moves the
    # version past it, and the next request ranks its people again.
    versions, cached, stale = rank_cache.ranks_get(day)
    missing = [i for i in ids if i not in cached]
    if missing:
        ranked = member_rows(missing)
        _rank_rows(context or team_context(day), ranked, hours=False)
        cached.update((r.employee_id, r.ranks) for r in ranked)
    if missing or stale:
        rank_cache.ranks_put(day, versions, cached)
    return cached


def team_ranks(
    day: datetime.date, employees: QuerySet[Employee], ids: list[int]
) -> rank_cache.Ranks:
    """Ranks on `day` of `ids`, all of them among `employees`, without building their rows.

    Many come from the shared rank cache: only the rows of people it lacks are read.
    """
    if len(ids) <= RANK_CACHE_ABOVE:
        rows = team_member_list(employees)
        _rank_rows(team_context(day), rows, hours=False)
        return {r.employee_id: r.ranks for r in rows}

    def member_rows(missing: list[int]) -> list[TeamRow]:
        if len(missing) <= SCAN_ABOVE:
            return team_member_list(employees.filter(pk__in=missing))
        wanted = set(missing)
        return [r for r in team_member_list(employees) if r.employee_id in wanted]

    return _cached_ranks(day, ids, member_rows)


@dataclass(frozen=True)
class TeamCounts:
    people: int
    ready: int  # eligible above certified
    lapsing: int  # paid tier would drop within the warning window


def team_counts(day: datetime.date, employees: QuerySet[Employee]) -> TeamCounts:
    """How many of `employees` are ready to certify and lapsing on `day` (from their ranks)."""
    ids = list(employees.order_by().values_list("pk", flat=True))
    ranks = team_ranks(day, employees, ids)
    ranked = [ranks[i] for i in ids]
    return TeamCounts(
        people=len(ranked),
        ready=sum(1 for certified, eligible, _, _ in ranked if eligible > certified),
        lapsing=sum(1 for *_, lapsing in ranked if lapsing),
    )


class TeamRank(NamedTuple):
    """What the team table sorts and filters one person by, before their row is built."""

    employee_id: int
    name_position: int
    department_code: str
    side: str
    certified_rank: int
    eligible_rank: int
    paid_rank: int
    lapsing: bool

    @property
    def ready_to_certify(self) -> bool:
        return self.eligible_rank > self.certified_rank


def team_rank_list(day: datetime.date, employees: QuerySet[Employee]) -> list[TeamRank]:
    """Everyone of `employees` by name with their ranks on `day`, without building their rows.

    Reads only ids, department codes and sides (one query) and the ranks (`team_ranks`): a
    page sorted or filtered by tier builds rows only for the people it shows.
    """
    members = list(
        employees.order_by(*name_order(*NAME_FIELDS)).values_list(
            "pk", "department__code", "department__side"
        )
    )
    ranks = team_ranks(day, employees, [pk for pk, _, _ in members])
    return [
        TeamRank(pk, position, code, side, *ranks[pk])
        for position, (pk, code, side) in enumerate(members)
    ]


def team_rows_of(
    day: datetime.date, employees: QuerySet[Employee], ranks: Sequence[TeamRank]
) -> list[TeamRow]:
    """The full, ranked rows of `ranks` (a page of them), in their order."""
    by_id = {
        row.employee_id: row
        for row in team_member_list(employees.filter(pk__in=[r.employee_id for r in ranks]))
    }
    rows = [by_id[r.employee_id] for r in ranks if r.employee_id in by_id]
    team_rows_rank(day, rows)
    return rows


def _rank_rows(context: TeamContext, rows: Sequence[TeamRow], *, hours: bool) -> None:
    """Ranks `rows` on the context's day: eligible, certified and paid tier, lapsing (at most
    five queries).

    Only the facts that can decide a tier between the current pay period's eve and the end of
    the expiry warning window are read: the sign-offs of required skills and the other-side
    ones at level 3 still valid on the eve, passing completions of required modules, and
    cross-training hours summed in SQL (to `day` and to the eve). The engine answers from them
    exactly as from all the records, for every day it is asked about here.

    With `hours=False` the hours are read only for the people whose tier could depend on them:
    those who meet every other requirement of Tier I on the day, or on the eve when certified.
    Everyone else is ranked exactly (no tier, nothing paid) but not `complete`: their hours
    and gaps are read when they are shown (`hours=True` on the rows of the page).
    """
    if not rows:
        return
    day, start, tiers, sides = context.day, context.period_start, context.tiers, context.sides
    months_in_use = context.months_in_use
    hourless = [replace(t, min_cross_training_hours=None) for t in tiers]
    eve = start - ONE_DAY
    horizon = day + datetime.timedelta(days=expiry_warning_days())
    ids = [row.employee_id for row in rows]

    required_skills = {code for t in tiers for code, _ in t.required_skills}
    expiry: dict[tuple[datetime.date, int], datetime.date] = {}
    signoffs: dict[int, list[SignoffFact]] = defaultdict(list)
    for emp_id, code, level, assessed, revoked, months in (
        _restrict(Signoff.objects.filter(assessed_on__lte=day), ids)
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
        .values_list(
            "employee_id",
            "skill__code",
            "level",
            "assessed_on",
            "revoked_on",
            "skill__recert_months",
        )
    ):
        expires = None
        if months:
            expires = expiry.get((assessed, months))
            if expires is None:
                expires = expiry[(assessed, months)] = add_months(assessed, months)
        signoffs[emp_id].append(SignoffFact(code, level, assessed, expires, revoked))

    required_modules = {code for t in tiers for code in t.required_modules}
    completions: dict[int, list[CompletionFact]] = defaultdict(list)
    for emp_id, code, done, score, mark in (
        _restrict(ModuleCompletion.objects.filter(completed_on__lte=day), ids)
        .filter(module__code__in=required_modules, score__gte=F("module__pass_mark"))
        .order_by()
        .values_list("employee_id", "module__code", "completed_on", "score", "module__pass_mark")
    ):
        completions[emp_id].append(CompletionFact(code, done, score, mark))

    certifications: dict[int, list[CertificationFact]] = defaultdict(list)
    for emp_id, rank, certified, revoked in (
        _restrict(Certification.objects.filter(certified_on__lte=day), ids)
        .order_by()
        .values_list("employee_id", "tier__rank", "certified_on", "revoked_on")
    ):
        certifications[emp_id].append(CertificationFact(rank, certified, revoked))

    # First everything but the hours; then the hours, where they can still matter.
    pending: list[tuple[TeamRow, EmployeeFacts, int]] = []
    for row in rows:
        facts = EmployeeFacts(
            employee_number=row.employee_number,
            home_department=row.department_code,
            side=row.side,
            hire_date=row.hire_date,
            termination_date=row.termination_date,
            signoffs=tuple(signoffs.get(row.employee_id, ())),
            completions=tuple(completions.get(row.employee_id, ())),
        )
        certs = certifications.get(row.employee_id, ())
        certified_before = certified_rank_before(certs, start)
        row.certified_rank = certified_rank_on(certs, day)
        row.context = context
        row._status = None
        if (
            hours
            or eligible_rank(facts, hourless, sides, day)
            or (certified_before and eligible_rank(facts, hourless, sides, eve))
        ):
            pending.append((row, facts, certified_before))
            continue
        # Not even Tier I without its hours, on the day or on the eve: no tier, nothing paid.
        row.ranked, row.complete = True, False
        row.facts = facts
        row.eligible_rank = row.paid_rank = 0
        row.lapsing = False
        row.cross_training_hours = None

    summed: dict[int, tuple[Decimal, Decimal]] = {}
    if pending:
        by_employee = ExpressionWrapper(F("employee_id") + 0, output_field=IntegerField())
        for emp_id, total, before in (
            _restrict(
                Attendance.objects.filter(session__date__lte=day),
                [row.employee_id for row, _, _ in pending],
            )
            .exclude(session__host_department_id=F("employee__department_id"))
            # "+ 0": SQLite then groups after one sequential pass instead of walking an index.
            .annotate(emp=by_employee)
            .values("emp")
            .annotate(total=Sum("hours"), before=Sum("hours", filter=Q(session__date__lte=eve)))
            .order_by()
            .values_list("emp", "total", "before")
        ):
            summed[emp_id] = (Decimal(total or 0), Decimal(before or 0))

    for row, facts, certified_before in pending:
        total, before = summed.get(row.employee_id, (ZERO, ZERO))
        facts = replace(
            facts,
            attendances=(
                AttendanceFact(eve, OUTSIDE_HOME, before),
                AttendanceFact(day, OUTSIDE_HOME, total - before),
            ),
        )
        paid = 0
        if certified_before:
            paid = paid_rank(
                certified_before,
                eligible_rank(facts, tiers, sides, eve),
                is_active_on(row.hire_date, row.termination_date, start),
            )
        row.ranked, row.complete = True, True
        row.facts = facts
        row.eligible_rank = eligible_rank(facts, tiers, sides, day)
        row.paid_rank = paid
        row.cross_training_hours = total
        row.lapsing = paid > 0 and _lapses(facts, context, paid, horizon)


def first_lapse_day(
    facts: EmployeeFacts,
    tiers: Sequence[TierRule],
    sides: dict[str, str | None],
    day: datetime.date,
    paid: int,
    horizon: datetime.date,
) -> datetime.date | None:
    """The first day in (day, horizon] on which the eligible tier falls below `paid`, if any.

    With the records as they stand, levels only fall on expiry dates and tenure only rises, so
    those dates are the only days on which the tier can drop.
    """
    days = sorted(
        {
            s.expires_on
            for s in facts.signoffs
            if s.expires_on is not None and day < s.expires_on <= horizon
        }
    )
    return next((d for d in days if eligible_rank(facts, tiers, sides, d) < paid), None)


def _lapses(facts: EmployeeFacts, context: TeamContext, paid: int, horizon: datetime.date) -> bool:
    day = first_lapse_day(facts, context.tiers, context.sides, context.day, paid, horizon)
    return day is not None


def team_row_list(
    day: datetime.date, employees: QuerySet[Employee], *, hours: bool = True
) -> list[TeamRow]:
    """Every one of `employees`, ranked on `day` (at most eleven queries)."""
    rows = team_member_list(employees)
    team_rows_rank(day, rows, hours=hours)
    return rows


# --- one employee's progress ----------------------------------------------------------------


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
    buddy: BuddyPairing | None
    buddy_for: list[BuddyPairing]
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
    before = evaluate_tiers(facts, tiers, sides, start - ONE_DAY)
    paid = paid_tier(
        certifications=certs,
        period_start=start,
        eligible_rank=before.eligible_rank,
        active_on_start=facts.is_active_on(start),
        lost_tier=before.next_tier,
        unmet=before.next_tier_requirements,
        signoffs=facts.signoffs,
        skill_sides=sides,
        side=facts.side,
    )

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

    pairings = list(
        BuddyPairing.objects.filter(Q(seeker=employee) | Q(buddy=employee))
        .filter(started_on__lte=today)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .select_related("seeker__department", "buddy__department")
        .order_by("started_on")
    )
    warning = expiry_warning_days()
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
        buddy=next((p for p in pairings if p.seeker_id == employee.pk), None),
        buddy_for=[p for p in pairings if p.buddy_id == employee.pk],
        certifications=certifications,
    )


# --- the team table's rows, filtered -------------------------------------------------------


def lapsing_candidates(day: datetime.date, employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """Those of `employees` whose pay could lapse soon: a necessary condition, in SQL.

    The paid tier can drop before the warning window ends only for someone certified before
    the current period starts and holding a sign-off that expires within the window.
    """
    period = current_period(day)
    start = period.start if period else day
    horizon = day + datetime.timedelta(days=expiry_warning_days())
    months = recert_months_in_use()
    certified = Certification.objects.filter(certified_on__lt=start).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gte=start)
    )
    expiring = (
        Signoff.objects.filter(signoff_valid_q(day, months), skill__recert_months__isnull=False)
        .exclude(not_expired_q(horizon, months))
        .order_by()
    )
    return employees.filter(pk__in=certified.values("employee_id")).filter(
        pk__in=expiring.values("employee_id")
    )


Ranked = TypeVar("Ranked", TeamRow, TeamRank)


def tier_filtered(
    rows: list[Ranked], *, eligible_tier: int | None, ready: bool, lapsing: bool
) -> list[Ranked]:
    """The ranked rows the team table's tier filters keep."""
    return [
        r
        for r in rows
        if (eligible_tier is None or r.eligible_rank == eligible_tier)
        and (not ready or r.ready_to_certify)
        and (not lapsing or r.lapsing)
    ]


def team_table_rows(
    day: datetime.date,
    employees: QuerySet[Employee],
    *,
    eligible_tier: int | None = None,
    ready: bool = False,
    lapsing: bool = False,
    hours: bool = False,
) -> list[TeamRow]:
    """The team table's rows after its tier filters, by name.

    The rows are ranked only when a tier filter asks for it, and worked out in full (hours and
    gaps) with `hours` (a sort by hours, the download): with a tier filter, the rows are
    filtered on their ranks first and only those kept are worked out in full. A page sorted or
    filtered by tier without needing everyone's hours uses `team_table_ranks` instead.
    """
    if lapsing:
        employees = lapsing_candidates(day, employees)
    rows = team_member_list(employees)
    filtered = ready or lapsing or eligible_tier is not None
    if not (hours or filtered):
        return rows
    team_rows_rank(day, rows, hours=hours and not filtered)
    kept = tier_filtered(rows, eligible_tier=eligible_tier, ready=ready, lapsing=lapsing)
    if hours and filtered:
        team_rows_rank(day, kept, hours=True)
    return kept


def team_table_ranks(
    day: datetime.date,
    employees: QuerySet[Employee],
    *,
    eligible_tier: int | None = None,
    ready: bool = False,
    lapsing: bool = False,
) -> list[TeamRank]:
    """The team table's people after its tier filters, by name, as ranks only.

    What `team_table_rows` gives, without building a row for everyone: for a page sorted or
    filtered by tier, whose rows are built once it is cut (`team_rows_of`).
    """
    if lapsing:
        employees = lapsing_candidates(day, employees)
    return tier_filtered(
        team_rank_list(day, employees), eligible_tier=eligible_tier, ready=ready, lapsing=lapsing
    )
