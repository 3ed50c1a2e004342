"""The team table: who is in it, their ranks (eligible, certified and paid tier, lapsing), its
tier filters and the one choice of how a page of it is read.

Ranks of many people come from the shared rank cache (certificates.rank_cache); the facts come
from the one loader (certificates.selectors) and the answers from the pure engine and pay rule.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple, TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django_tables2.data import TableData

from certificates import rank_cache
from certificates.eligibility import (
    AttendanceFact,
    EmployeeFacts,
    TierRule,
    TierStatus,
    eligible_rank,
    evaluate_tiers,
)
from certificates.models import Certification
from certificates.pay import (
    certified_rank_before,
    certified_rank_on,
    first_lapse_day,
    lapse_reason,
    paid_rank,
)
from certificates.selectors import (
    SCAN_ABOVE,
    catalogue_skills,
    current_period,
    deciding_facts,
    outside_hours,
    signoff_facts_of,
    tier_rules,
)
from core.tables import SortedListData, name_order
from skills.models import Employee, Signoff
from skills.rules import is_active_on
from skills.selectors import not_expired_q, recert_months_in_use, signoff_valid_q

ONE_DAY = datetime.timedelta(days=1)
ZERO = Decimal("0")
# Host "department" of hours summed in SQL, already known to be outside the home department.
# Department codes are never blank (a database constraint), so it never equals a home code.
OUTSIDE_HOME = ""
# Ranking more rows than this at once goes through the shared rank cache.
RANK_CACHE_ABOVE = 200
# The team table's name order: last name, first name (folded: Employee.sort_key), then number.
NAME_FIELDS = ("sort_key", "employee_number")
# Columns whose values the engine works out: sorting by one ranks every row first.
RANKED_COLUMNS = frozenset({"eligible_tier", "certified_tier", "hours"})


def expiry_warning_days() -> int:
    return settings.TRACKER["EXPIRY_WARNING_DAYS"]


@dataclass(frozen=True)
class TeamContext:
    """What every row of one team table shares: the day, the tiers and the skill sides."""

    day: datetime.date
    period_start: datetime.date
    tiers: list[TierRule]
    sides: dict[str, str | None]
    months_in_use: list[int] = field(default_factory=list)  # distinct validity periods

    def tier_name(self, rank: int) -> str:
        return next((t.name for t in self.tiers if t.rank == rank), "")


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


class TeamMember(NamedTuple):
    """One employee of the team table, before they are ranked: who they are."""

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
    name_position: int  # place in the name order (the database's, see core.tables)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def person(self) -> tuple:
        """Who the facts belong to, as the fact loader takes them (selectors.Person)."""
        return (
            self.employee_id,
            self.employee_number,
            self.department_code,
            self.side,
            self.hire_date,
            self.termination_date,
        )


@dataclass(frozen=True)
class TeamRow:
    """One ranked employee of the team table, built once: the member and where they stand.

    The member's fields read as the row's own (`row.employee_number`), for the table's columns.
    `cross_training_hours` is None when the hours were not read: a rank from the shared cache,
    or someone who meets no tier even before the hours count. Only a row with its hours shows
    the next tier's gaps, worked out from the same facts when first asked for.
    """

    member: TeamMember
    certified_rank: int
    eligible_rank: int
    paid_rank: int
    lapsing: bool  # the paid tier would drop within the warning window
    lapsed: bool  # already paid below the tier certified before the period (DOMAIN: LAPSED)
    cross_training_hours: Decimal | None
    facts: EmployeeFacts | None = field(repr=False, compare=False)
    context: TeamContext = field(repr=False, compare=False)

    def __getattr__(self, name: str):
        # Only called for names the row itself lacks: the member's fields and properties.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.member, name)

    @property
    def ready_to_certify(self) -> bool:
        return self.eligible_rank > self.certified_rank

    @property
    def ranks(self) -> tuple[int, int, int, bool, bool]:
        """What the shared rank cache keeps of the row (certificates.rank_cache.Ranks)."""
        return (
            self.certified_rank,
            self.eligible_rank,
            self.paid_rank,
            self.lapsing,
            self.lapsed,
        )

    @cached_property
    def lapsed_reason(self) -> str:
        """Why the pay is below the certified tier, as the payroll export says it: the first
        tier lost and its gaps on the period's eve (empty when not lapsed or not worked out).
        The row's facts leave out expired sign-offs, which the reason names: one query reads
        the person's own (only for lapsed rows shown)."""
        if not self.lapsed or not self.complete:
            return ""
        c = self.context
        eve = c.period_start - ONE_DAY
        status = evaluate_tiers(self.facts, c.tiers, c.sides, eve)
        return lapse_reason(
            status.next_tier,
            status.next_tier_requirements,
            eve,
            signoffs=signoff_facts_of(self.employee_id, eve),
            skill_sides=c.sides,
            side=self.side,
        )

    @property
    def complete(self) -> bool:
        """Whether the hours, and so the next tier's gaps, are known."""
        return self.facts is not None and self.cross_training_hours is not None

    @property
    def eligible_name(self) -> str:
        return self.context.tier_name(self.eligible_rank)

    @property
    def certified_name(self) -> str:
        return self.context.tier_name(self.certified_rank)

    @cached_property
    def status(self) -> TierStatus | None:
        if not self.complete:
            return None
        c = self.context
        return evaluate_tiers(self.facts, c.tiers, c.sides, c.day)

    @property
    def next_tier_name(self) -> str:
        status = self.status
        return status.next_tier.name if status and status.next_tier else ""

    @property
    def gaps(self) -> list[str]:
        status = self.status
        return status.next_tier_gaps if status else []


def team_member_list(employees: QuerySet[Employee]) -> list[TeamMember]:
    """Who is in the team table, not yet ranked, by name (one query).

    The name order is the database's (core.tables.name_order), the same order in which the
    table pages from the database, so sorting by name gives one answer whichever way the rows
    came. A slice (a page) keeps the order it was cut in.
    """
    if not employees.query.is_sliced:
        employees = employees.order_by(*name_order(*NAME_FIELDS))
    return [
        TeamMember(
            emp_id,
            number,
            first,
            last,
            dept_code,
            dept_name,
            side,
            site or dept_site,
            shift,
            hired,
            terminated,
            position,
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


def _rank_rows(
    context: TeamContext, members: Sequence[TeamMember], *, hours: bool
) -> list[TeamRow]:
    """`members` ranked on the context's day: eligible, certified and paid tier, lapsing (at
    most five queries).

    Only the facts that can decide a tier between the current pay period's eve and the end of
    the expiry warning window are read (selectors.deciding_facts), and the cross-training hours
    are summed in SQL (to the day and to the eve).

    With `hours=False` the hours are read only for the people whose tier could depend on them:
    those who meet every other requirement of Tier I on the day, or on the eve when certified.
    Everyone else is ranked exactly (no tier, nothing paid) without their hours; their hours
    and gaps are read when they are shown (`hours=True` on the rows of the page).
    """
    if not members:
        return []
    day, start, tiers, sides = context.day, context.period_start, context.tiers, context.sides
    tiers_without_hours = [replace(t, min_cross_training_hours=None) for t in tiers]
    eve = start - ONE_DAY
    horizon = day + datetime.timedelta(days=expiry_warning_days())
    deciding = deciding_facts(
        [m.person for m in members],
        day=day,
        eve=eve,
        tiers=tiers,
        months_in_use=context.months_in_use,
    )

    # First everything but the hours; then the hours, where they can still matter.
    rows: dict[int, TeamRow] = {}
    pending: list[tuple[TeamMember, EmployeeFacts, int, int]] = []
    for member in members:
        facts = deciding.facts[member.employee_id]
        certs = deciding.certifications.get(member.employee_id, ())
        certified = certified_rank_on(certs, day)
        certified_before = certified_rank_before(certs, start)
        if (
            hours
            or eligible_rank(facts, tiers_without_hours, sides, day)
            or (certified_before and eligible_rank(facts, tiers_without_hours, sides, eve))
        ):
            pending.append((member, facts, certified, certified_before))
            continue
        # Not even Tier I without its hours, on the day or on the eve: no tier, nothing paid
        # (so a tier certified before the period has lapsed).
        rows[member.employee_id] = TeamRow(
            member, certified, 0, 0, False, certified_before > 0, None, facts, context
        )

    summed = outside_hours([m.employee_id for m, *_ in pending], day, eve) if pending else {}
    for member, facts, certified, certified_before in pending:
        total, before = summed.get(member.employee_id, (ZERO, ZERO))
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
                is_active_on(member.hire_date, member.termination_date, start),
            )
        lapsing = paid > 0 and first_lapse_day(facts, tiers, sides, day, paid, horizon) is not None
        eligible = eligible_rank(facts, tiers, sides, day)
        lapsed = certified_before > 0 and paid < certified_before
        rows[member.employee_id] = TeamRow(
            member, certified, eligible, paid, lapsing, lapsed, total, facts, context
        )
    return [rows[m.employee_id] for m in members]


def _cached_ranks(
    day: datetime.date, ids: list[int], rank_missing: Callable[[list[int]], list[TeamRow]]
) -> rank_cache.Ranks:
    """The shared cache's ranks on `day`, with those of `ids` it lacked ranked and stored."""
    # The version is read before any rank is computed: a write landing meanwhile moves the
    # version past it, and the next request ranks its people again.
    versions, cached, stale = rank_cache.ranks_get(day)
    missing = [i for i in ids if i not in cached]
    if missing:
        cached.update((r.employee_id, r.ranks) for r in rank_missing(missing))
    if missing or stale:
        rank_cache.ranks_put(day, versions, cached)
    return cached


def team_rows_rank(
    day: datetime.date, members: Sequence[TeamMember], *, hours: bool = True
) -> list[TeamRow]:
    """`members` ranked on `day`; without their hours, many ranks come from the shared cache.

    Only ranks are cached (never facts or gaps), with the version of the data they come from;
    after a write only the people whose records changed are ranked again
    (certificates.rank_cache), so a cached rank is always the computed one. The rows it
    supplies have no hours: a page reads its shown rows' hours and gaps.
    """
    if not members:
        return []
    context = team_context(day)
    if hours or len(members) <= RANK_CACHE_ABOVE:
        return _rank_rows(context, members, hours=hours)
    by_id = {m.employee_id: m for m in members}
    ranked: dict[int, TeamRow] = {}

    def rank_missing(missing: list[int]) -> list[TeamRow]:
        rows = _rank_rows(context, [by_id[i] for i in missing], hours=False)
        ranked.update((r.employee_id, r) for r in rows)
        return rows

    cached = _cached_ranks(day, list(by_id), rank_missing)
    return [
        ranked.get(m.employee_id) or TeamRow(m, *cached[m.employee_id], None, None, context)
        for m in members
    ]


def team_row_list(
    day: datetime.date, employees: QuerySet[Employee], *, hours: bool = True
) -> list[TeamRow]:
    """Every one of `employees`, ranked on `day` (at most eleven queries)."""
    return team_rows_rank(day, team_member_list(employees), hours=hours)


def team_ranks(
    day: datetime.date, employees: QuerySet[Employee], ids: list[int]
) -> rank_cache.Ranks:
    """Ranks on `day` of `ids`, all of them among `employees`, without building their rows.

    Many come from the shared rank cache: only the rows of people it lacks are read.
    """
    if len(ids) <= RANK_CACHE_ABOVE:
        rows = _rank_rows(team_context(day), team_member_list(employees), hours=False)
        return {r.employee_id: r.ranks for r in rows}

    def rank_missing(missing: list[int]) -> list[TeamRow]:
        if len(missing) <= SCAN_ABOVE:
            members = team_member_list(employees.filter(pk__in=missing))
        else:
            wanted = set(missing)
            members = [m for m in team_member_list(employees) if m.employee_id in wanted]
        return _rank_rows(team_context(day), members, hours=False)

    return _cached_ranks(day, ids, rank_missing)


@dataclass(frozen=True)
class TeamCounts:
    people: int
    ready: int  # eligible above certified
    lapsing: int  # paid tier would drop within the warning window
    lapsed: int = 0  # already paid below the tier certified before the period


def team_counts(day: datetime.date, employees: QuerySet[Employee]) -> TeamCounts:
    """How many of `employees` are ready to certify and lapsing on `day` (from their ranks)."""
    ids = list(employees.order_by().values_list("pk", flat=True))
    ranks = team_ranks(day, employees, ids)
    ranked = [ranks[i] for i in ids]
    return TeamCounts(
        people=len(ranked),
        ready=sum(1 for certified, eligible, *_ in ranked if eligible > certified),
        lapsing=sum(1 for _, _, _, lapsing, _ in ranked if lapsing),
        lapsed=sum(1 for *_, lapsed in ranked if lapsed),
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
    lapsed: bool

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
        member.employee_id: member
        for member in team_member_list(employees.filter(pk__in=[r.employee_id for r in ranks]))
    }
    return team_rows_rank(day, [by_id[r.employee_id] for r in ranks if r.employee_id in by_id])


# --- the team table's tier filters ---------------------------------------------------------


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


def lapsed_candidates(day: datetime.date, employees: QuerySet[Employee]) -> QuerySet[Employee]:
    """Those of `employees` who may be paid below their tier: certified before the current
    period starts (and not revoked by then), a necessary condition, in SQL."""
    period = current_period(day)
    start = period.start if period else day
    certified = Certification.objects.filter(certified_on__lt=start).filter(
        Q(revoked_on__isnull=True) | Q(revoked_on__gte=start)
    )
    return employees.filter(pk__in=certified.values("employee_id"))


def narrowed(
    day: datetime.date, employees: QuerySet[Employee], *, lapsing: bool, lapsed: bool
) -> QuerySet[Employee]:
    """`employees` cut down in SQL to those the lapsing and lapsed filters could keep."""
    if lapsing:
        employees = lapsing_candidates(day, employees)
    if lapsed:
        employees = lapsed_candidates(day, employees)
    return employees


def tier_filtered(
    rows: list[Ranked],
    *,
    eligible_tier: int | None,
    ready: bool,
    lapsing: bool,
    lapsed: bool = False,
) -> list[Ranked]:
    """The ranked rows the team table's tier filters keep."""
    return [
        r
        for r in rows
        if (eligible_tier is None or r.eligible_rank == eligible_tier)
        and (not ready or r.ready_to_certify)
        and (not lapsing or r.lapsing)
        and (not lapsed or r.lapsed)
    ]


def team_table_rows(
    day: datetime.date,
    employees: QuerySet[Employee],
    *,
    eligible_tier: int | None = None,
    ready: bool = False,
    lapsing: bool = False,
    lapsed: bool = False,
    hours: bool = False,
) -> list[TeamMember] | list[TeamRow]:
    """The team table's rows after its tier filters, by name.

    The rows are ranked only when a tier filter asks for it, and worked out in full (hours and
    gaps) with `hours` (a sort by hours, the download): with a tier filter, the rows are
    filtered on their ranks first and only those kept are worked out in full. A page sorted or
    filtered by tier without needing everyone's hours uses `team_table_ranks` instead.
    """
    employees = narrowed(day, employees, lapsing=lapsing, lapsed=lapsed)
    members = team_member_list(employees)
    filtered = ready or lapsing or lapsed or eligible_tier is not None
    if not (hours or filtered):
        return members
    rows = team_rows_rank(day, members, hours=hours and not filtered)
    kept = tier_filtered(
        rows, eligible_tier=eligible_tier, ready=ready, lapsing=lapsing, lapsed=lapsed
    )
    if hours and filtered:
        by_id = {m.employee_id: m for m in members}
        return team_rows_rank(day, [by_id[r.employee_id] for r in kept], hours=True)
    return kept


def team_table_ranks(
    day: datetime.date,
    employees: QuerySet[Employee],
    *,
    eligible_tier: int | None = None,
    ready: bool = False,
    lapsing: bool = False,
    lapsed: bool = False,
) -> list[TeamRank]:
    """The team table's people after its tier filters, by name, as ranks only.

    What `team_table_rows` gives, without building a row for everyone: for a page sorted or
    filtered by tier, whose rows are built once it is cut (`team_rows_of`).
    """
    employees = narrowed(day, employees, lapsing=lapsing, lapsed=lapsed)
    return tier_filtered(
        team_rank_list(day, employees),
        eligible_tier=eligible_tier,
        ready=ready,
        lapsing=lapsing,
        lapsed=lapsed,
    )


# --- how a page of the team table is read --------------------------------------------------


class TeamPageData(TableData):
    """The team table straight from the database, one page at a time.

    Used when no tier filter or tier sort needs every row ranked: the database counts, orders
    and slices the employees, and only the rows of the page shown are read and ranked.
    """

    # Column name -> the database ordering that matches the ranked rows' sort.
    ORDERINGS = {
        "employee": NAME_FIELDS,
        "department": ("department__code", *NAME_FIELDS),
        "side": ("department__side", *NAME_FIELDS),
    }

    def __init__(self, employees: QuerySet, day: datetime.date):
        super().__init__(employees.order_by(*name_order(*NAME_FIELDS)))
        self.day = day
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = self.data.count()
        return self._length

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        return team_rows_rank(self.day, team_member_list(self.data[key]))

    def __iter__(self):
        return iter(self[0 : len(self)])

    def order_by(self, aliases) -> None:
        fields: list = []
        for alias in aliases:
            descending = alias.startswith("-")
            for name in self.ORDERINGS.get(alias.lstrip("-"), ()):
                signed = f"-{name}" if descending else name
                fields += name_order(signed) if name in NAME_FIELDS else [signed]
        if fields:
            self.data = self.data.order_by(*fields)


class TeamRankData(SortedListData):
    """The team table sorted or filtered by tier: everyone's ranks, rows built page by page.

    Sorting and filtering need only each person's ranks, department and place in the name
    order (`TeamRank`); the full rows (names, hours, gaps) are read for the page shown.
    """

    def __init__(self, ranks: list[TeamRank], employees: QuerySet, day: datetime.date):
        super().__init__(ranks)
        self.employees = employees
        self.day = day

    def __getitem__(self, key):
        if not isinstance(key, slice):
            return self[key : key + 1][0]
        return team_rows_of(self.day, self.employees, self.data[key])

    def __iter__(self):
        return iter(self[0 : len(self)])


def sorts_by_rank(sort: str | None) -> bool:
    return bool(sort) and sort.lstrip("-") in RANKED_COLUMNS


def sorts_by_hours(sort: str | None) -> bool:
    return bool(sort) and sort.lstrip("-") == "hours"


def team_table_data(
    day: datetime.date,
    employees: QuerySet[Employee],
    *,
    eligible_tier: int | None = None,
    ready: bool = False,
    lapsing: bool = False,
    lapsed: bool = False,
    sort: str | None = None,
) -> TeamPageData | TeamRankData | list[TeamRow]:
    """The team table's data for these filters and this sort, read no more than it needs.

    Nothing needs every row ranked: the database pages, only the page shown is ranked. A sort
    by hours needs everyone's hours: every row in full. Sorted or filtered by tier: everyone's
    ranks, then the rows of the page shown.
    """
    tier = {"eligible_tier": eligible_tier, "ready": ready, "lapsing": lapsing, "lapsed": lapsed}
    if eligible_tier is None and not any((ready, lapsing, lapsed)) and not sorts_by_rank(sort):
        return TeamPageData(employees, day)
    if sorts_by_hours(sort):
        return team_table_rows(day, employees, **tier, hours=True)
    return TeamRankData(team_table_ranks(day, employees, **tier), employees, day)
