"""What the employee's and the manager's home pages show (settings.HOME_CONTEXT).

Employee: a compact progress summary (eligible and certified tier, the closest gaps to the next
tier, expiring sign-offs, buddy). Manager: team counts (ready to certify, certification
lapsing, single points of failure, sign-offs expiring) with links to the pages behind them.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from certificates.progress import progress_get, team_row_list
from certificates.selectors import employees_active_on
from skills.models import Employee
from skills.selectors import coverage_matrix, expiring_signoff_list

TOP_GAPS = 3


def employee_home(request, employee: Employee | None) -> dict:
    if employee is None:
        return {}
    progress = progress_get(employee, timezone.localdate())
    return {"progress": progress, "top_gaps": progress.top_gaps[:TOP_GAPS]}


def manager_home(request, employee: Employee | None) -> dict:
    today = timezone.localdate()
    active = employees_active_on(today)
    rows = team_row_list(today, active, hours=False)  # counts only: no hours needed
    skills = [s for d in coverage_matrix(today) for s in d.skills]
    warning = settings.TRACKER["EXPIRY_WARNING_DAYS"]
    return {
        "today": today,
        "warning_days": warning,
        "team_count": len(rows),
        "ready_count": sum(1 for r in rows if r.ready_to_certify),
        "lapsing_count": sum(1 for r in rows if r.lapsing),
        "spof_count": sum(1 for s in skills if s.single_point_of_failure),
        "expiring_count": len(expiring_signoff_list(today, warning)),
    }
