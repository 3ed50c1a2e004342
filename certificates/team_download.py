"""The team table's download: every row of the filtered table, sorted as on screen, as an
.xlsx workbook (the page's labels, typed cells). Built in the request for a small team, in a
background job for a large one (certificates.tasks), with the same function."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone

from certificates.filters import TeamFilter
from certificates.selectors import employees_active_on
from certificates.tables import TeamTable
from certificates.team import team_table_rows
from core.jobs import Progress, every
from core.spreadsheets.writing import write_xlsx
from skills.models import Employee

TEAM_HEADERS = (
    "Employee number",
    "Last name",
    "First name",
    "Department",
    "Department name",
    "Side",
    "Site",
    "Shift",
    "Eligible tier",
    "Eligible tier name",
    "Certified tier",
    "Certified tier name",
    "Paid tier this period",
    "Cross-training hours",
    "Ready to certify",
    "Certification lapsing",
    "Paid below certified tier",
    "Why paid below",
    "Next tier",
    "Missing for the next tier",
)
HOURS_COLUMN = TEAM_HEADERS.index("Cross-training hours")
# The download writes what the page shows: "Day", not "day"; "No tier", not a blank.
SHIFTS = dict(Employee.Shift.choices)
NO_TIER = "No tier"


REPORT_EVERY = 250


def team_rows(filterset: TeamFilter) -> list:
    """Every row of the filtered team table worked out in full, hours and gaps included (the
    download, a sort by hours): SQL filters, then the tier filters."""
    if filterset.is_bound and not filterset.is_valid():
        return []
    return team_table_rows(
        timezone.localdate(), filterset.qs, **filterset.tier_filters(), hours=True
    )


def team_workbook(query: QueryDict, progress: Progress | None = None) -> tuple[bytes, str]:
    """(the .xlsx bytes, its file name) of the team table for these filters and this sort.

    `progress(done, total, stage)` hears how far it got: the tiers worked out, then each row
    written (every REPORT_EVERY rows)."""
    filterset = TeamFilter(query or None, queryset=employees_active_on(timezone.localdate()))
    if progress:
        progress(0, 0, "Working out everyone's tiers and gaps")
    rows = team_rows(filterset)
    table = TeamTable(rows, order_by=query.get("sort") or None)
    total = len(rows)
    report = every(REPORT_EVERY, progress) if progress else None

    def lines():
        for done, r in enumerate(table.data, start=1):
            yield (
                r.employee_number,
                r.last_name,
                r.first_name,
                r.department_code,
                r.department_name,
                "Front office" if r.side == "front" else "Back office",
                r.site or "",
                SHIFTS.get(r.shift, r.shift),
                r.eligible_rank,
                r.eligible_name or NO_TIER,
                r.certified_rank,
                r.certified_name or NO_TIER,
                r.paid_rank,
                r.cross_training_hours,
                r.ready_to_certify,
                r.lapsing,
                r.lapsed,
                r.lapsed_reason,
                r.next_tier_name,
                "; ".join(r.gaps),
            )
            if report:
                report(done, total, "Writing the rows")

    body = write_xlsx(TEAM_HEADERS, lines(), title="Team", number_formats={HOURS_COLUMN: "0.00"})
    return body, f"team-{timezone.localdate():%Y-%m-%d}.xlsx"
