"""django-tables2 tables of the trainer's lists: sessions, modules, new hires."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from core.tables import ListTable
from core.templatetags.tracker import day, hours
from training.models import TrainingSession, WorkflowModule

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}


def person_link(employee) -> str:
    url = reverse("training:employee-skills", kwargs={"employee_number": employee.employee_number})
    return format_html(
        '<a href="{}">{}</a> <span class="muted small">{}</span>',
        url,
        employee.full_name,
        employee.employee_number,
    )


class SessionTable(tables.Table):
    session_ref = tables.Column(verbose_name="Reference", attrs=NOWRAP)
    date = tables.Column(attrs=NOWRAP)
    host_department = tables.Column(verbose_name="Host", order_by=("host_department__code",))
    kind = tables.Column(attrs=NOWRAP)
    trainer = tables.Column(order_by=("trainer__sort_key",))
    duration_hours = tables.Column(verbose_name="Duration (h)", attrs=NUM)
    attendee_count = tables.Column(verbose_name="Attendees", attrs=NUM)
    attendee_hours = tables.Column(verbose_name="Person-hours", attrs=NUM)

    class Meta:
        model = TrainingSession
        fields = (
            "session_ref",
            "date",
            "host_department",
            "kind",
            "trainer",
            "duration_hours",
            "attendee_count",
            "attendee_hours",
        )
        order_by = ("-date",)
        empty_text = "No sessions match. Widen the dates or record a session."

    def render_session_ref(self, record, value):
        url = reverse("training:session-detail", kwargs={"session_ref": value})
        return format_html('<a href="{}">{}</a>', url, value)

    def render_date(self, value):
        return day(value)

    def render_host_department(self, value):
        return format_html('<abbr title="{}">{}</abbr>', value.name, value.code)

    def render_trainer(self, value):
        return format_html(
            '{} <span class="muted small">{}</span>', value.full_name, value.employee_number
        )

    def render_duration_hours(self, value):
        return hours(value)

    def render_attendee_hours(self, value):
        return hours(value or 0)


class ModuleTable(tables.Table):
    code = tables.Column(attrs=NOWRAP)
    title = tables.Column()
    owner = tables.Column(order_by=("owner__sort_key",))
    version = tables.Column()
    last_reviewed_on = tables.Column(verbose_name="Last review", attrs=NOWRAP)
    review_due = tables.Column(
        verbose_name="Review due", accessor="last_reviewed_on", orderable=True, empty_values=()
    )
    pass_mark = tables.Column(verbose_name="Pass mark", attrs=NUM)
    is_new_hire = tables.Column(verbose_name="New hires", empty_values=())
    actions = tables.Column(verbose_name="", orderable=False, empty_values=())

    class Meta:
        model = WorkflowModule
        fields = (
            "code",
            "title",
            "owner",
            "version",
            "last_reviewed_on",
            "review_due",
            "pass_mark",
            "is_new_hire",
            "actions",
        )
        order_by = ("code",)
        empty_text = "No modules match. An administrator adds modules in the admin."

    def __init__(self, *args, can_review: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.can_review = can_review
        self.today = timezone.localdate()

    def render_owner(self, value):
        return person_link(value)

    def render_last_reviewed_on(self, value):
        return day(value)

    def render_review_due(self, record):
        due = record.review_due_on
        if record.is_due_for_review(self.today):
            return format_html(
                '<span class="badge badge--danger">Review due</span> '
                '<span class="small nowrap">since {}</span>',
                day(due),
            )
        return day(due)

    def render_pass_mark(self, value):
        return f"{value}%"

    def render_is_new_hire(self, record):
        if not record.is_new_hire:
            return mark_safe('<span class="muted">—</span>')
        return format_html(
            '<span class="badge badge--info">within {} days</span>', record.new_hire_days
        )

    def render_actions(self, record):
        if not self.can_review:
            return ""
        url = reverse("training:module-review", kwargs={"code": record.code})
        return format_html('<a class="btn btn-secondary btn-sm" href="{}">Record review</a>', url)


class NewHireTable(ListTable):
    employee = tables.Column(verbose_name="Employee", order_by=("employee__employee_number",))
    department = tables.Column(accessor="employee__department__code", verbose_name="Department")
    hired = tables.Column(accessor="employee__hire_date", verbose_name="Hired")
    progress = tables.Column(verbose_name="Passed", empty_values=(), orderable=False, attrs=NUM)
    pending = tables.Column(verbose_name="Still to pass", orderable=False, empty_values=())
    days_left = tables.Column(verbose_name="Deadline", attrs=NUM)

    class Meta:
        order_by = ("days_left",)
        empty_text = "Every new hire has passed the new-hire modules."

    def render_employee(self, value):
        return person_link(value)

    def render_hired(self, value):
        return day(value)

    def render_progress(self, record):
        return f"{record.passed} of {record.total}"

    def render_pending(self, record):
        return format_html_join(
            ", ",
            '<span title="{}">{}</span> <span class="muted small">by {}</span>',
            ((p.module.title, p.module.code, day(p.deadline)) for p in record.pending),
        )

    def render_days_left(self, value):
        if value < 0:
            return format_html(
                '<span class="badge badge--danger">{} day{} overdue</span>',
                -value,
                "" if value == -1 else "s",
            )
        if value == 0:
            return mark_safe('<span class="badge badge--warning">due today</span>')
        return format_html(
            '<span class="badge badge--neutral">{} day{} left</span>',
            value,
            "" if value == 1 else "s",
        )
