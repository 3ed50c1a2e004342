"""Progress pages: my progress, one employee's progress, the team table and its download.

Who may open each page is core.access.ACCESS; the object rule (an employee sees only their own
progress, anyone else's is a 404) is checked here.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from certificates.filters import TeamFilter
from certificates.progress import Progress, progress_extras, progress_get
from certificates.selectors import employees_active_on
from certificates.tables import TeamTable
from certificates.team import team_table_data, team_table_rows
from core.roles import STAFF_ROLES, user_roles
from core.spreadsheets.writing import write_xlsx
from skills.models import Employee

# Roles that may open anyone's progress page (they work across departments).
SEES_EVERYONE = STAFF_ROLES
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The hours chart: an inline SVG, sizes in its own units (it scales to the card's width).
CHART_WIDTH = 640
CHART_LABEL = 210
CHART_VALUE = 64
CHART_ROW = 30
CHART_BAR = 18


def sees_everyone(user) -> bool:
    return bool(user_roles(user) & SEES_EVERYONE)


def skill_history_url(employee: Employee) -> str | None:
    """The employee's skill-history page, when the training app provides one."""
    try:
        return reverse(
            "training:employee-skills", kwargs={"employee_number": employee.employee_number}
        )
    except NoReverseMatch:
        return None


def hours_chart(progress: Progress) -> dict:
    """Geometry of the hours-by-host-department bar chart."""
    bars = progress.hours_by_department
    top = max((b.hours for b in bars), default=Decimal(0)) or Decimal(1)
    span = CHART_WIDTH - CHART_LABEL - CHART_VALUE
    rows = []
    for index, bar in enumerate(bars):
        width = float(bar.hours / top) * span
        rows.append(
            {
                "bar": bar,
                "y": index * CHART_ROW,
                "text_y": index * CHART_ROW + CHART_BAR / 2 + 5,
                "width": round(max(width, 2), 1),
                "value_x": round(CHART_LABEL + max(width, 2) + 8, 1),
            }
        )
    return {
        "rows": rows,
        "width": CHART_WIDTH,
        "height": max(len(bars) * CHART_ROW, CHART_ROW),
        "label_x": CHART_LABEL - 10,
        "bar_x": CHART_LABEL,
        "bar_height": CHART_BAR,
    }


def _progress_page(request, employee: Employee, own: bool):
    progress = progress_get(employee, timezone.localdate())
    return render(
        request,
        "certificates/progress.html",
        {
            "progress": progress,
            "subject": employee,
            "own": own,
            "chart": hours_chart(progress),
            "skill_history_url": skill_history_url(employee),
            **progress_extras(employee, progress.today),
        },
    )


def my_progress(request):
    employee = Employee.objects.select_related("department").filter(user_id=request.user.pk).first()
    if employee is None:
        return render(request, "certificates/progress_unlinked.html")
    return _progress_page(request, employee, own=True)


def employee_progress(request, employee_number: str):
    employee = get_object_or_404(
        Employee.objects.select_related("department"), employee_number=employee_number
    )
    own = employee.user_id is not None and employee.user_id == request.user.pk
    if not own and not sees_everyone(request.user):
        raise Http404("No such employee.")
    return _progress_page(request, employee, own=own)


def team_rows(filterset: TeamFilter) -> list:
    """Every row of the filtered team table worked out in full, hours and gaps included (the
    download, a sort by hours): SQL filters, then the tier filters."""
    if filterset.is_bound and not filterset.is_valid():
        return []
    return team_table_rows(
        timezone.localdate(), filterset.qs, **filterset.tier_filters(), hours=True
    )


def team_queryset():
    return employees_active_on(timezone.localdate())


class TeamView(SingleTableMixin, FilterView):
    """Trainers' and managers' table of everyone active today, with their tiers and gaps."""

    filterset_class = TeamFilter
    table_class = TeamTable
    table_pagination = {"per_page": 25}
    template_name = "certificates/team.html"

    def get_queryset(self):
        return team_queryset()

    def get_table_data(self):
        if self.filterset.is_bound and not self.filterset.is_valid():
            return []
        return team_table_data(
            timezone.localdate(),
            self.filterset.qs,
            **self.filterset.tier_filters(),
            sort=self.request.GET.get("sort"),
        )

    def get_table_kwargs(self):
        # Sorted once, in the order asked for: setting the same order again is free.
        sort = self.request.GET.get("sort")
        return {"order_by": sort} if sort else {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["export_query"] = self.request.GET.urlencode()
        context["warning_days"] = settings.TRACKER["EXPIRY_WARNING_DAYS"]
        return context


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
    "Next tier",
    "Missing for the next tier",
)
HOURS_COLUMN = TEAM_HEADERS.index("Cross-training hours")


def team_export(request):
    """The team table as filtered and sorted on screen, every page, as an .xlsx workbook."""
    filterset = TeamFilter(request.GET or None, queryset=team_queryset(), request=request)
    sort = request.GET.get("sort")
    rows = team_rows(filterset)
    table = TeamTable(rows, order_by=sort or None)
    body = write_xlsx(
        TEAM_HEADERS,
        (
            (
                r.employee_number,
                r.last_name,
                r.first_name,
                r.department_code,
                r.department_name,
                "Front office" if r.side == "front" else "Back office",
                r.site,
                r.shift,
                r.eligible_rank,
                r.eligible_name,
                r.certified_rank,
                r.certified_name,
                r.paid_rank,
                r.cross_training_hours,
                r.ready_to_certify,
                r.lapsing,
                r.next_tier_name,
                "; ".join(r.gaps),
            )
            for r in table.data
        ),
        title="Team",
        number_formats={HOURS_COLUMN: "0.00"},
    )
    response = HttpResponse(body, content_type=XLSX)
    filename = f"team-{timezone.localdate():%Y-%m-%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
