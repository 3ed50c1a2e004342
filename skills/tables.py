"""django-tables2 tables of "who can help" and of the sign-offs expiring soon."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join

from core.tables import ListTable
from core.templatetags.tracker import EXPIRY_SOON_DAYS, day, expiry_badge
from skills.models import Employee

NUM = {"th": {"class": "num"}, "td": {"class": "num"}}
NOWRAP = {"td": {"class": "nowrap"}}
SHIFT_LABELS = dict(Employee.Shift.choices)
SOON_DAYS = EXPIRY_SOON_DAYS


def employee_link(number: str, name: str) -> str:
    """The person's name linking to their progress page (when the tiers app provides one)."""
    try:
        url = reverse("certificates:employee-progress", kwargs={"employee_number": number})
    except NoReverseMatch:
        return format_html('{} <span class="muted small">{}</span>', name, number)
    return format_html('<a href="{}">{}</a> <span class="muted small">{}</span>', url, name, number)


class HelperTable(ListTable):
    employee = tables.Column(accessor="employee_number", verbose_name="Employee")
    home = tables.Column(accessor="department_code", verbose_name="Home department")
    site = tables.Column(accessor="site")
    shift = tables.Column(accessor="shift", attrs=NOWRAP)
    skill_count = tables.Column(accessor="skill_count", verbose_name="Skills covered", attrs=NUM)
    skills = tables.Column(accessor="skills", verbose_name="Level on each", orderable=False)

    class Meta:
        orderable = False  # the order is the rule's: most skills first, then employee number
        empty_text = (
            "Nobody homed elsewhere is qualified (level 3) on this department's skills today. "
            "Plan cross-training for it from the coverage page."
        )

    def render_employee(self, record):
        return employee_link(record.employee_number, record.name)

    def render_home(self, record):
        return format_html(
            '<abbr title="{}">{}</abbr> <span class="badge badge--neutral">{}</span>',
            record.department_name,
            record.department_code,
            "Front" if record.side == "front" else "Back",
        )

    def render_shift(self, value):
        return SHIFT_LABELS.get(value, value)

    def render_skills(self, value):
        return format_html_join(
            " ",
            '<span class="badge badge--info" title="level {1}">{0} · L{1}</span>',
            value,
        )


class ExpiringTable(ListTable):
    employee = tables.Column(
        accessor="employee_number",
        verbose_name="Employee",
        order_by=("employee_name", "employee_number", "expires_on"),
    )
    department = tables.Column(accessor="department_code", verbose_name="Department")
    skill = tables.Column(accessor="skill_code", verbose_name="Skill")
    level = tables.Column(accessor="level", attrs=NUM)
    assessed_on = tables.Column(verbose_name="Assessed", attrs=NOWRAP)
    expires_on = tables.Column(verbose_name="Expires", attrs=NOWRAP)
    days_left = tables.Column(verbose_name="Days left", attrs=NUM)
    trainer = tables.Column(
        accessor="assessor_number",
        verbose_name="Assessed by",
        order_by=("assessor_name", "assessor_number", "expires_on"),
    )

    class Meta:
        empty_text = (
            "No sign-off expires in this window without a renewal. Widen the window to plan "
            "further ahead."
        )

    def render_employee(self, record):
        return employee_link(record.employee_number, record.employee_name)

    def render_skill(self, record):
        return format_html(
            '{} <span class="muted small">{}</span>', record.skill_code, record.skill_name
        )

    def render_level(self, record):
        return format_html('<span title="{}">{}</span>', record.level_label, record.level)

    def render_assessed_on(self, value):
        return day(value)

    def render_expires_on(self, value):
        return day(value)

    def render_days_left(self, value):
        return expiry_badge(value, str(value))

    def render_trainer(self, record):
        return format_html(
            '{} <span class="muted small">{}</span>',
            record.assessor_name,
            record.assessor_number,
        )
