"""Ranks of the whole team for a day, kept in the shared cache until any record changes.

Views that need everyone's tier (a sort or filter by tier, the manager's counts) would otherwise
rank thousands of people on every request. The cache key is the day plus a version of the data:
the highest history id of every audited table that can change a rank, and the highest id of its
table. Every write through the services, the import, the admin or seed_demo adds a history row
(bulk writes included), so a new version follows any change and stale ranks are never read.
The cache is Django's (the database by default), so every app server shares it.
"""

from __future__ import annotations

import datetime

from django.apps import apps
from django.core.cache import cache
from django.db import connection

from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from skills.models import Department, Employee, Signoff, Skill
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

# Everything a rank reads: people and their departments, skills and sign-offs, sessions and
# attendance, modules and results, tiers and their requirements, certifications, pay periods.
RANKED_MODELS = (
    Employee,
    Department,
    Skill,
    Signoff,
    TrainingSession,
    Attendance,
    WorkflowModule,
    ModuleCompletion,
    Tier,
    TierSkillRequirement,
    Certification,
    PayPeriod,
)
TIMEOUT_SECONDS = 24 * 60 * 60

# employee id -> (certified rank, eligible rank, paid rank, lapsing)
Ranks = dict[int, tuple[int, int, int, bool]]


def _tables() -> list[tuple[str, str]]:
    tables = []
    for model in RANKED_MODELS:
        tables.append((model._meta.db_table, model._meta.pk.column))
        history = model.history.model
        tables.append((history._meta.db_table, history._meta.pk.column))
    # The history of a tier's required modules has its own table.
    modules = apps.get_model("certificates", "HistoricalTier_required_modules")
    tables.append((modules._meta.db_table, modules._meta.pk.column))
    through = Tier.required_modules.through
    tables.append((through._meta.db_table, through._meta.pk.column))
    return tables


def data_version() -> str:
    """A value that changes whenever a record that can change a rank is written (one query)."""
    quote = connection.ops.quote_name
    parts = ", ".join(
        f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in _tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return "-".join(str(value or 0) for value in row)


def cache_key(day: datetime.date) -> str:
    return f"team-ranks:{day.isoformat()}:{data_version()}"


def ranks_get(key: str) -> Ranks:
    return cache.get(key) or {}


def ranks_put(key: str, ranks: Ranks) -> None:
    cache.set(key, ranks, TIMEOUT_SECONDS)
