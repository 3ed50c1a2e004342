"""Ranks of the whole team for a day, kept in the shared cache and brought up to date by delta.

Views that need everyone's tier (a sort or filter by tier, the manager's counts) would otherwise
rank thousands of people on every request. The cache holds one entry per day: the ranks, and
the version of the data they were computed from, which is the highest id of every audited table
that can change a rank and of its history table (read in one query). Every write through the
services, the import, the admin or seed_demo adds a history row (bulk writes included), so any
change moves the version.

When the version has moved, the entry is not thrown away: the history rows written since tell
whose records changed (`changed_employees`), only their ranks are dropped, and the caller ranks
just those people again. A change to something every rank reads (a tier, a skill, a module, a
department, a pay period) drops the whole entry. A new day starts a new entry; `manage.py
warm_caches` fills it ahead of the first request (docs/decisions.md).

The cache is Django's (the database by default), so every app server shares it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Model

from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from skills.models import Department, Employee, Signoff, Skill
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

# Records of one employee: a change to one changes that employee's ranks only.
# model -> the field naming the employee
PER_EMPLOYEE: dict[type[Model], str] = {
    Employee: "id",
    Signoff: "employee_id",
    Attendance: "employee_id",
    ModuleCompletion: "employee_id",
    Certification: "employee_id",
}
# A session's date or host department counts towards each attendee's hours.
SESSIONS = TrainingSession
# Everything else a rank reads: a change to one can change anybody's rank.
SHARED: tuple[type[Model], ...] = (
    Department,
    Skill,
    WorkflowModule,
    Tier,
    TierSkillRequirement,
    PayPeriod,
)
RANKED_MODELS = (*PER_EMPLOYEE, SESSIONS, *SHARED)
TIMEOUT_SECONDS = 26 * 60 * 60

# employee id -> (certified rank, eligible rank, paid rank, lapsing, lapsed)
Ranks = dict[int, tuple[int, int, int, bool, bool]]
Versions = tuple[int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class VersionedTable:
    """A table whose highest id is part of the data version, and the model it belongs to."""

    name: str
    pk: str
    model: type[Model]
    history: bool


def _tables() -> list[VersionedTable]:
    """Every table whose highest id is part of the version, in a fixed order."""
    tables = []
    for model in RANKED_MODELS:
        tables.append(VersionedTable(model._meta.db_table, model._meta.pk.column, model, False))
        history = model.history.model
        tables.append(VersionedTable(history._meta.db_table, history._meta.pk.column, model, True))
    # A tier's required modules: its own table and its own history table.
    modules = apps.get_model("certificates", "HistoricalTier_required_modules")
    through = Tier.required_modules.through
    tables.append(VersionedTable(through._meta.db_table, through._meta.pk.column, Tier, False))
    tables.append(VersionedTable(modules._meta.db_table, modules._meta.pk.column, Tier, True))
    return tables


def data_versions() -> Versions:
    """The highest id of every table in `_tables()` (one query); any write moves one of them."""
    quote = connection.ops.quote_name
    parts = ", ".join(f"(SELECT MAX({quote(t.pk)}) FROM {quote(t.name)})" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return tuple(int(value or 0) for value in row)


# The entry's name carries the shape of Ranks: a new shape is a new name, never misread.
def cache_key(day: datetime.date, name: str = "team-ranks-5") -> str:
    return f"{name}:{day.isoformat()}"


def changed_employees(old: Versions, new: Versions) -> set[int] | None:
    """Employees whose ranks may differ between data versions `old` and `new`.

    None when something every rank reads has changed (or the versions do not line up): then
    no cached rank can be kept. One query, a union of what each kind of record names.
    """
    tables = _tables()
    if len(old) != len(tables) or len(new) != len(tables):
        return None
    if any(after < before for before, after in zip(old, new, strict=True)):
        return None  # rows were deleted without history: nothing to go by
    parts = []
    for table, before, after in zip(tables, old, new, strict=True):
        if after == before:
            continue
        if table.model in SHARED or table.model is Tier:
            return None
        if table.model is SESSIONS:
            # A changed session changes its attendees' hours, whoever they were.
            if table.history:
                sessions = SESSIONS.history.model.objects.filter(history_id__gt=before)
                touched = sessions.order_by().values("id")
            else:
                touched = SESSIONS.objects.filter(pk__gt=before).order_by().values("pk")
            for attendance in (Attendance.history.model.objects, Attendance.objects):
                parts.append(
                    attendance.filter(session_id__in=touched)
                    .order_by()
                    .values_list("employee_id", flat=True)
                )
            continue
        field = PER_EMPLOYEE[table.model]
        if table.history:
            # Every version of each record touched: a record moved from one employee to
            # another changes both.
            history = table.model.history.model.objects
            touched = history.filter(history_id__gt=before).order_by().values("id")
            rows = history.filter(id__in=touched)
        else:
            rows = table.model.objects.filter(pk__gt=before)
        parts.append(rows.order_by().values_list(field, flat=True))
    if not parts:
        return set()
    return set(parts[0].union(*parts[1:]))


def ranks_get(day: datetime.date) -> tuple[Versions, Ranks, bool]:
    """The day's cached ranks brought up to the current data version.

    Returns (current version, ranks still valid, whether the entry must be written back).
    """
    current = data_versions()
    entry = cache.get(cache_key(day))
    if not entry:
        return current, {}, True
    versions, ranks = entry
    if versions == current:
        return current, ranks, False
    changed = changed_employees(versions, current)
    if changed is None:
        return current, {}, True
    for employee_id in changed:
        ranks.pop(employee_id, None)
    return current, ranks, True


def ranks_put(day: datetime.date, versions: Versions, ranks: Ranks) -> None:
    cache.set(cache_key(day), (versions, ranks), TIMEOUT_SECONDS)


def forget(day: datetime.date, *names: str) -> None:
    """Drops the day's ranks and the named summaries: the next read computes them afresh."""
    cache.delete_many([cache_key(day), *(cache_key(day, name) for name in names)])


def remember(name: str, day: datetime.date, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the shared cache until any record a rank reads changes.

    For summaries computed from the same records as the ranks (coverage, expiring sign-offs):
    the entry holds the data version it was computed from and is recomputed when it moves.
    """
    versions = data_versions()
    key = cache_key(day, name)
    entry = cache.get(key)
    if entry and entry[0] == versions:
        return entry[1]
    value = compute()
    cache.set(key, (versions, value), TIMEOUT_SECONDS)
    return value
