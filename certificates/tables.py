"""django-tables2 table of the team page: one row per employee with their tiers and gaps."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.roles import SUPERVISOR_ROLES, user_roles
from core.tables import ListTable
from core.templatetags.tracker import hours, money, status_badge, tier_badge

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}
GAPS_SHOWN = 3
LAPSED_HINT = "Paid below this tier this period: the tier's requirements were not met on its eve"
TEAM_EMPTY = "Nobody matches these filters. Clear a filter, or widen the department, site or shift."


class TeamTable(ListTable):
    employee = tables.Column(
        accessor="name_position", verbose_name="Employee", order_by=("name_position",)
    )
    department = tables.Column(
        accessor="department_code",
        verbose_name="Department",
        order_by=("department_code", "name_position"),
    )
    side = tables.Column(accessor="side", attrs=NOWRAP, order_by=("side", "name_position"))
    eligible_tier = tables.Column(
        accessor="eligible_rank", verbose_name="Eligible tier", attrs=NOWRAP
    )
    certified_tier = tables.Column(
        accessor="certified_rank", verbose_name="Certified tier", attrs=NOWRAP
    )
    hours = tables.Column(accessor="cross_training_hours", verbose_name="Hours", attrs=NUM)
    gaps = tables.Column(
        accessor="employee_number", verbose_name="Missing for the next tier", orderable=False
    )

    class Meta:
        order_by = ("employee",)
        empty_text = TEAM_EMPTY
        attrs = {"class": "table team-table"}

    def render_employee(self, record):
        url = reverse(
            "certificates:employee-progress", kwargs={"employee_number": record.employee_number}
        )
        return format_html(
            '<a href="{}">{} {}</a> <span class="muted small">{}</span>',
            url,
            record.first_name,
            record.last_name,
            record.employee_number,
        )

    def render_department(self, record):
        return format_html(
            '<abbr title="{}">{}</abbr>', record.department_name, record.department_code
        )

    def render_side(self, value):
        return "Front" if value == "front" else "Back"

    def render_eligible_tier(self, record):
        badge = tier_badge(record.eligible_rank, record.eligible_name)
        if not record.ready_to_certify:
            return badge
        request = getattr(self, "request", None)
        if request is not None and user_roles(request.user) & SUPERVISOR_ROLES:
            url = reverse(
                "certificates:certify", kwargs={"employee_number": record.employee_number}
            )
            return format_html(
                '{} <a class="badge badge--success" href="{}?tier={}">Ready to certify</a>',
                badge,
                url,
                record.eligible_rank,
            )
        return format_html('{} <span class="badge badge--success">Ready to certify</span>', badge)

    def render_certified_tier(self, record):
        badge = tier_badge(record.certified_rank, record.certified_name)
        if record.lapsed:
            reason = record.lapsed_reason or LAPSED_HINT
            return format_html(
                '{} <span class="badge badge--danger" title="{}">Lapsed</span>'
                '<span class="cell-note small">{}</span>',
                badge,
                reason,
                reason,
            )
        if record.lapsing:
            return format_html(
                '{} <span class="badge badge--warning" title="The paid tier would drop within '
                'the warning window as a sign-off expires">Lapsing</span>',
                badge,
            )
        return badge

    def render_hours(self, value):
        return hours(value)

    def render_gaps(self, record):
        if not record.complete:
            return "—"
        if not record.next_tier_name:
            return mark_safe('<span class="muted">Top tier reached</span>')
        gaps = record.gaps
        shown = format_html_join("", "<li>{}</li>", ((gap,) for gap in gaps[:GAPS_SHOWN]))
        more = ""
        if len(gaps) > GAPS_SHOWN:
            more = format_html(
                '<li class="muted" title="{}">and {} more</li>',
                "; ".join(gaps[GAPS_SHOWN:]),
                len(gaps) - GAPS_SHOWN,
            )
        return format_html(
            '<span class="gap-summary__tier">{}:</span><ul class="gap-summary">{}{}</ul>',
            record.next_tier_name,
            shown,
            more,
        )


class PayrollTable(ListTable):
    """One pay period's export rows, as payroll sees them before downloading."""

    employee = tables.Column(accessor="employee_number", verbose_name="Employee")
    department = tables.Column(accessor="department_code", verbose_name="Department")
    paid_tier = tables.Column(verbose_name="Paid tier", attrs=NOWRAP)
    differential = tables.Column(
        accessor="differential_per_hour", verbose_name="Differential", attrs=NUM
    )
    previous = tables.Column(accessor="previous_paid_tier", verbose_name="Before", attrs=NOWRAP)
    change = tables.Column(verbose_name="Change")
    why = tables.Column(accessor="lapsed_reason", verbose_name="Why it lapsed", orderable=False)

    class Meta:
        order_by = ("employee",)
        empty_text = "Nobody matches these filters. Clear a filter to see the whole period."
        attrs = {"class": "table payroll-table"}

    def render_employee(self, record):
        url = reverse(
            "certificates:employee-progress", kwargs={"employee_number": record.employee_number}
        )
        return format_html(
            '<a href="{}">{} {}</a> <span class="muted small">{}</span>',
            url,
            record.first_name,
            record.last_name,
            record.employee_number,
        )

    def render_paid_tier(self, record):
        return tier_badge(record.paid_tier, record.tier_name)

    def render_differential(self, value):
        return money(value)

    def __init__(self, *args, tier_names: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tier_names = tier_names or {}

    def render_previous(self, value):
        return tier_badge(value, self.tier_names.get(value, ""))

    def render_change(self, value):
        return status_badge(value)

    def render_why(self, value):
        return value or "—"
