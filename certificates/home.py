"""What the employee's and the manager's home pages show (settings.HOME_CONTEXT).

Employee: a compact progress summary (eligible and certified tier, the closest gaps to the next
tier, expiring sign-offs, buddy). Manager: team counts (ready to certify, certification
lapsing, single points of failure, sign-offs expiring) with links to the pages behind them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from certificates import rank_cache
from certificates.progress import progress_extras, progress_get
from certificates.selectors import employees_active_on
from certificates.team import team_counts
from skills.models import Employee
from skills.selectors import coverage_matrix, expiring_signoff_count

TOP_GAPS = 3
MANAGER_HOME = "manager-home"  # the shared cache's name for the manager's organisation counts


def employee_home(request, employee: Employee | None) -> dict:
    if employee is None:
        return {}
    progress = progress_get(employee, timezone.localdate())
    return {
        "progress": progress,
        "top_gaps": progress.top_gaps[:TOP_GAPS],
        **progress_extras(employee, progress.today),
    }


def manager_home(request, employee: Employee | None) -> dict:
    today = timezone.localdate()
    active = employees_active_on(today)
    team = team_counts(today, active)
    return {
        "today": today,
        "warning_days": settings.TRACKER["EXPIRY_WARNING_DAYS"],
        # The manager's own team: the people whose manager they are (DOMAIN); the figures
        # above it are the whole organisation's, like the pages they link to.
        "reports_count": active.filter(manager=employee).count() if employee else 0,
        "team_count": team.people,
        "ready_count": team.ready,
        "lapsing_count": team.lapsing,
        "lapsed_count": team.lapsed,
        **organisation_counts(today),
    }


def organisation_counts(today: datetime.date) -> dict[str, int]:
    """Single points of failure and sign-offs expiring soon, over the whole organisation.

    Kept in the shared cache until a record they read changes (certificates.rank_cache).
    """
    warning = settings.TRACKER["EXPIRY_WARNING_DAYS"]

    def compute() -> dict[str, int]:
        skills = [s for d in coverage_matrix(today) for s in d.skills]
        return {
            "spof_count": sum(1 for s in skills if s.single_point_of_failure),
            "expiring_count": expiring_signoff_count(today, warning),
        }

    return rank_cache.remember(MANAGER_HOME, today, compute)


def warm_caches(day: datetime.date) -> int:
    """Computes afresh and caches for `day` everyone's ranks and the manager's counts.

    Run ahead of the day's first request (manage.py warm_caches) and after bulk imports, so
    no user waits for the whole organisation to be ranked. Starting afresh also drops anything
    the data version could have missed (docs/decisions.md). Returns the number of people.
    """
    rank_cache.forget(day, MANAGER_HOME)
    team = team_counts(day, employees_active_on(day))
    organisation_counts(day)
    return team.people
