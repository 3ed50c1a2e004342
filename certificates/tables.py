"""django-tables2 table of the team page: one row per employee with their tiers and gaps."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django_tables2.data import TableData

from certificates.progress import (
    NAME_FIELDS,
    TeamRank,
    team_member_list,
    team_rows_of,
    team_rows_rank,
)
from core.tables import ListTable, SortedListData, name_order
from core.templatetags.tracker import hours, tier_badge

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}
GAPS_SHOWN = 3
# Columns whose values the engine works out: sorting by one ranks every row first.
RANKED_COLUMNS = frozenset({"eligible_tier", "certified_tier", "hours"})
TEAM_EMPTY = "Nobody matches these filters. Clear a filter, or widen the department, site or shift."


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
        rows = team_member_list(self.data[key])
        team_rows_rank(self.day, rows)
        return rows

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
            '<a href="{}">{}, {}</a> <span class="muted small">{}</span>',
            url,
            record.last_name,
            record.first_name,
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
        if record.ready_to_certify:
            return format_html(
                '{} <span class="badge badge--success">Ready to certify</span>', badge
            )
        return badge

    def render_certified_tier(self, record):
        badge = tier_badge(record.certified_rank, record.certified_name)
        if record.lapsing:
            return format_html(
                '{} <span class="badge badge--danger" title="The paid tier would drop within '
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
