"""The pairings list."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from buddies.models import BuddyPairing
from core.templatetags.tracker import day

NOWRAP = {"td": {"class": "nowrap"}}


def person(employee) -> str:
    url = reverse(
        "certificates:employee-progress", kwargs={"employee_number": employee.employee_number}
    )
    return format_html(
        '<a href="{}">{}</a> <span class="muted small">{} · {}</span>',
        url,
        employee.full_name,
        employee.employee_number,
        employee.department.code,
    )


class PairingTable(tables.Table):
    seeker = tables.Column(order_by=("seeker__sort_key",))
    buddy = tables.Column(verbose_name="Go-to buddy", order_by=("buddy__sort_key",))
    started_on = tables.Column(verbose_name="Since", attrs=NOWRAP)
    ended_on = tables.Column(verbose_name="Ended", attrs=NOWRAP, default="")
    note = tables.Column(verbose_name="Note", orderable=False)
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = BuddyPairing
        fields = ("seeker", "buddy", "started_on", "ended_on", "note", "actions")
        order_by = ("-started_on",)
        empty_text = "No pairing matches. Clear the filters, or accept suggestions."

    def render_seeker(self, value):
        return person(value)

    def render_buddy(self, value):
        return person(value)

    def render_started_on(self, value):
        return day(value)

    def render_ended_on(self, value):
        return day(value)

    def render_actions(self, record):
        if record.ended_on is not None:
            return ""
        url = reverse("buddies:pairing-end", kwargs={"pk": record.pk})
        return format_html(
            '<a href="{}">End<span class="visually-hidden"> the pairing of {}</span></a>',
            url,
            record.seeker.full_name,
        )
