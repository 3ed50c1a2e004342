"""Progress pages: my progress, one employee's progress, the team table and its download.

Who may open each page is core.access.ACCESS; the object rule (an employee sees only their own
progress, anyone else's is a 404) is checked here.
"""

from __future__ import annotations

import datetime
import tempfile
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_filters.views import FilterView

from certificates import exports
from certificates.documents import (
    certificate_pdf,
    certificate_queryset,
    file_name,
    issued_between,
    write_zip,
    zip_file_name,
)
from certificates.filters import TeamFilter
from certificates.forms import (
    AddPeriodsForm,
    CertificateArchiveForm,
    CertifyForm,
    PayrollFilterForm,
)
from certificates.models import Certification, PayPeriod, Tier
from certificates.payroll_page import (
    filtered_lines,
    head_count_trend,
    page_lines,
    period_for,
    tier_totals,
    trend_chart,
)
from certificates.progress import Progress, progress_extras, progress_get
from certificates.selectors import employees_active_on, payroll_rows_at_most, previous_period
from certificates.services import (
    certification_create,
    certification_revoke,
    certifications_bulk_create,
    pay_period_close,
    pay_periods_create,
)
from certificates.tables import PayrollTable, TeamTable
from certificates.tasks import certificate_zip_job, payroll_download_job, team_download_job
from certificates.team import team_table_data, team_table_rows
from certificates.team_download import team_workbook
from core import jobs
from core.forms import apply_errors, whole_number
from core.roles import STAFF_ROLES, SUPERVISOR_ROLES, user_roles
from core.spreadsheets.writing import XLSX_CONTENT_TYPE
from core.tables import BoundedRequestConfig, BoundedTableMixin
from core.text import day_text
from core.views import revoke_page
from skills.models import Employee
from skills.selectors import own_record

# Roles that may open anyone's progress page (they work across departments).
SEES_EVERYONE = STAFF_ROLES
# A certificate zip bigger than this is spooled to a temporary file, not kept in memory.
ZIP_IN_MEMORY_BYTES = 20 * 1024 * 1024

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
            "may_certify": may_certify(request.user),
            "verify_address": settings.SITE_URL + reverse("verify:form"),
            **progress_extras(employee, progress.today),
        },
    )


def my_progress(request):
    employee = Employee.objects.select_related("department").filter(user_id=request.user.pk).first()
    if employee is None:
        return render(request, "certificates/progress_unlinked.html")
    return _progress_page(request, employee, own=True)


def employee_progress(request, employee_number: str):
    people = Employee.objects.select_related("department")
    if sees_everyone(request.user):
        employee = get_object_or_404(people, employee_number=employee_number)
    else:
        employee = own_record(request.user, employee_number, people)
    own = employee.user_id is not None and employee.user_id == request.user.pk
    return _progress_page(request, employee, own=own)


def team_queryset():
    return employees_active_on(timezone.localdate())


class TeamView(BoundedTableMixin, FilterView):
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
        context["may_certify"] = may_certify(self.request.user)
        context["warning_days"] = settings.TRACKER["EXPIRY_WARNING_DAYS"]
        return context


def team_export(request):
    """The team table as filtered and sorted on screen, every page, as an .xlsx workbook; one
    of more than JOB_ABOVE_ROWS people runs as a background job with a progress bar."""
    filterset = TeamFilter(request.GET or None, queryset=team_queryset())
    people = filterset.qs.count() if not filterset.is_bound or filterset.is_valid() else 0
    if people > settings.TRACKER["JOB_ABOVE_ROWS"]:
        job = jobs.start(
            owner=request.user,
            kind="team-download",
            title=f"Team download ({people:,} people)",
            task=team_download_job,
            back_url=f"{reverse('certificates:team')}?{request.GET.urlencode()}",
            query=request.GET.urlencode(),
        )
        return redirect("core:job", token=job.token)
    body, filename = team_workbook(request.GET)
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Certifying and revoking ------------------------------------------------------------------

CERTIFIED_MESSAGE = "{name} is certified at {tier} from {day}."
REVOKED_MESSAGE = "The {tier} certification of {name} is revoked; it stays in the history."
BULK_CERTIFIED = "Certified {count} people."
NO_LONGER_READY = "no longer eligible above their certified tier"


def may_certify(user) -> bool:
    return bool(user_roles(user) & SUPERVISOR_ROLES)


def certify(request, employee_number: str):
    """A manager certifies one person at a tier on a day (default today)."""
    employee = get_object_or_404(
        Employee.objects.select_related("department"), employee_number=employee_number
    )
    form = CertifyForm(
        request.POST or None, initial={"tier": whole_number(request.GET.get("tier"))}
    )
    if request.method == "POST" and form.is_valid():
        try:
            certification = certification_create(
                employee=employee,
                tier=form.cleaned_data["tier"],
                certified_on=form.cleaned_data["certified_on"],
                certified_by=getattr(request.user, "employee", None),
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(error, form, {})
        else:
            messages.success(
                request,
                CERTIFIED_MESSAGE.format(
                    name=employee.full_name,
                    tier=certification.tier.name,
                    day=day_text(certification.certified_on),
                ),
            )
            return redirect(
                "certificates:employee-progress", employee_number=employee.employee_number
            )
    progress = progress_get(employee, timezone.localdate())
    return render(
        request,
        "certificates/certify_form.html",
        {"form": form, "subject": employee, "progress": progress},
    )


def certification_revoke_view(request, pk: int):
    certification = get_object_or_404(
        Certification.objects.select_related("employee", "tier", "certified_by", "revoked_by"),
        pk=pk,
    )
    employee = certification.employee
    return revoke_page(
        request,
        certification,
        revoke=partial(certification_revoke, certification=certification),
        template="certificates/certification_revoke.html",
        name="certification",
        message=REVOKED_MESSAGE.format(tier=certification.tier.name, name=employee.full_name),
        done_url=reverse("certificates:employee-progress", args=[employee.employee_number]),
    )


def certify_bulk(request):
    """Everyone of the filtered team who is eligible above their certified tier: a preview, then
    one confirmation that certifies them all in one transaction."""
    today = timezone.localdate()
    filterset = TeamFilter(request.GET or None, queryset=team_queryset(), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    tier = {**(filterset.tier_filters() if valid else {}), "ready": True}
    employees = filterset.qs if valid else team_queryset()
    ready = {row.employee_id: row for row in team_table_rows(today, employees, **tier)}
    if request.method == "POST":
        chosen = [pk for pk in map(whole_number, request.POST.getlist("people")) if pk]
        people = list(Employee.objects.filter(pk__in=[pk for pk in chosen if pk in ready]))
        result = certifications_bulk_create(
            employees=people,
            ranks={pk: row.eligible_rank for pk, row in ready.items()},
            certified_on=today,
            certified_by=getattr(request.user, "employee", None),
            user=request.user,
        )
        gone = Employee.objects.filter(pk__in=[pk for pk in chosen if pk not in ready])
        skipped = [(e, NO_LONGER_READY) for e in gone] + result.skipped
        if result.created:
            messages.success(request, BULK_CERTIFIED.format(count=len(result.created)))
        return render(
            request,
            "certificates/certify_bulk_done.html",
            {"created": result.created, "skipped": skipped, "today": today},
        )
    return render(
        request,
        "certificates/certify_bulk.html",
        {"rows": list(ready.values()), "today": today, "query": request.GET.urlencode()},
    )


# --- Payroll ----------------------------------------------------------------------------------

CLOSED_MESSAGE = "Closed {period}: {count} rows frozen; every export of it gives those rows."
ADDED_MESSAGE = "Added {count} pay periods: {first} – {last}."
NO_PERIODS = "Add pay periods first."


def payroll(request):
    """Payroll's page: a period's rows with filters, totals per tier, the trend, close, add."""
    today = timezone.localdate()
    form = PayrollFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    period = period_for(today, filters.get("period"))
    context = {"form": form, "period": period, "add_form": AddPeriodsForm()}
    if period is not None:
        lines = page_lines(period)
        shown = filtered_lines(
            lines,
            change=filters.get("change") or "",
            department=(filters.get("department") or "").strip().upper(),
            tier=filters.get("tier"),
            lapsed=bool(filters.get("lapsed")),
            changed=bool(filters.get("changed")),
        )
        table = PayrollTable(
            shown,
            order_by=request.GET.get("sort") or None,
            tier_names=dict(Tier.objects.values_list("rank", "name")),
        )
        BoundedRequestConfig(request, paginate={"per_page": 50}).configure(table)
        previous = previous_period(period)
        context |= {
            "table": table,
            "totals": tier_totals(lines),
            "row_count": len(lines),
            "trend": trend_chart(head_count_trend(period, lines)),
            "periods": PayPeriod.objects.order_by("-start")[:60],
            "may_close": not period.is_closed and (previous is None or previous.is_closed),
            "previous": previous,
            "query": request.GET.urlencode(),
        }
    return render(request, "certificates/payroll.html", context)


def payroll_export(request):
    """The export of the chosen period as .xlsx or CSV, all of it or its changes only; one of
    more than JOB_ABOVE_ROWS rows runs as a background job with a progress bar."""
    form = PayrollFilterForm(request.GET or None)
    start = form.cleaned_data.get("period") if form.is_valid() else None
    period = period_for(timezone.localdate(), start)
    if period is None:
        messages.error(request, NO_PERIODS)
        return redirect("certificates:payroll")
    only_changes = request.GET.get("changes") == "1"
    as_csv = request.GET.get("format") == "csv"
    if payroll_rows_at_most(period) > settings.TRACKER["JOB_ABOVE_ROWS"]:
        what = "changes" if only_changes else "export"
        job = jobs.start(
            owner=request.user,
            kind="payroll-download",
            title=f"Payroll {what} for {period} ({'CSV' if as_csv else '.xlsx'})",
            task=payroll_download_job,
            back_url=f"{reverse('certificates:payroll')}?period={period.start.isoformat()}",
            start=period.start.isoformat(),
            only_changes=only_changes,
            as_csv=as_csv,
        )
        return redirect("core:job", token=job.token)
    file = exports.payroll_download(period, only_changes=only_changes, as_csv=as_csv)
    response = HttpResponse(file.body, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.name}"'
    return response


def payroll_close(request, start: str):
    period = get_object_or_404(PayPeriod, start=start)
    if request.method == "POST":
        try:
            rows = pay_period_close(period=period, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, CLOSED_MESSAGE.format(period=period, count=len(rows)))
    return redirect(f"{reverse('certificates:payroll')}?period={period.start.isoformat()}")


def payroll_add_periods(request):
    """Adds the next N periods of the same length after the last one."""
    form = AddPeriodsForm(request.POST or None)
    last = PayPeriod.objects.order_by("-start").first()
    if request.method == "POST" and form.is_valid() and last is not None:
        try:
            added = pay_periods_create(
                first_start=last.end + datetime.timedelta(days=1),
                days=(last.end - last.start).days + 1,
                count=form.cleaned_data["count"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                ADDED_MESSAGE.format(count=len(added), first=added[0].start, last=added[-1].end),
            )
    elif request.method == "POST":
        messages.error(
            request, NO_PERIODS if last is None else " ".join(form.errors.get("count", []))
        )
    return redirect("certificates:payroll")


# --- Certificates --------------------------------------------------------------------------


def certificate_download(request, number: str):
    """One certificate as a PDF: for its holder, and for trainers, managers and administrators."""
    certification = get_object_or_404(certificate_queryset(), certificate_number=number)
    holder = certification.employee
    own = holder.user_id is not None and holder.user_id == request.user.pk
    if not own and not sees_everyone(request.user):
        raise Http404("No such certificate.")
    response = HttpResponse(certificate_pdf(certification), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(certification)}"'
    response["Cache-Control"] = "private, no-store"
    return response


def certificate_archive(request):
    """Administrators: every certificate issued in a date range, as one zip of PDFs; more than
    JOB_ABOVE_CERTIFICATES of them are drawn in a background job with a progress bar."""
    form = CertificateArchiveForm(request.GET or None)
    count = None
    if form.is_valid():
        first, last = form.cleaned_data["issued_from"], form.cleaned_data["issued_to"]
        certifications = issued_between(first, last)
        if "download" in request.GET:
            count = certifications.count()
            if count > settings.TRACKER["JOB_ABOVE_CERTIFICATES"]:
                query = f"issued_from={first:%Y-%m-%d}&issued_to={last:%Y-%m-%d}"
                job = jobs.start(
                    owner=request.user,
                    kind="certificate-zip",
                    title=f"Certificates issued {day_text(first)} to {day_text(last)} ({count:,})",
                    task=certificate_zip_job,
                    back_url=f"{reverse('certificates:certificate-archive')}?{query}",
                    first=first.isoformat(),
                    last=last.isoformat(),
                )
                return redirect("core:job", token=job.token)
            # FileResponse closes the spool once it is sent.
            spool = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY_BYTES)  # noqa: SIM115
            write_zip(certifications.iterator(chunk_size=500), spool)
            spool.seek(0)
            return FileResponse(
                spool,
                as_attachment=True,
                filename=zip_file_name(first, last),
                content_type="application/zip",
            )
        count = certifications.count()
    return render(request, "certificates/certificate_archive.html", {"form": form, "count": count})
