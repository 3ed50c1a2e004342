"""django-filter filter set of the team table.

The organisation filters (department, side, site, shift, name) narrow the employee queryset in
SQL. The tier filters (eligible tier, ready to certify, certification lapsing) depend on the
engine's answers, which are not columns: their methods leave the queryset alone and the view
applies them to the ranked rows (`tier_filters`).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from certificates.models import Tier
from skills.filters import name_or_number_q
from skills.models import Department, Employee


def site_choices() -> list[tuple[str, str]]:
    sites = set(Department.objects.exclude(site="").values_list("site", flat=True))
    sites |= set(
        Employee.objects.exclude(site="").order_by().values_list("site", flat=True).distinct()
    )
    return [(site, site) for site in sorted(sites)]


def tier_choices() -> list[tuple[int, str]]:
    return [(0, "No tier"), *Tier.objects.order_by("rank").values_list("rank", "name")]


class TeamFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_name", label="Name or number")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("code"), empty_label="All departments"
    )
    side = django_filters.ChoiceFilter(
        field_name="department__side", choices=Department.Side.choices, empty_label="Both sides"
    )
    site = django_filters.ChoiceFilter(
        method="filter_site", choices=site_choices, empty_label="All sites"
    )
    shift = django_filters.ChoiceFilter(choices=Employee.Shift.choices, empty_label="All shifts")
    eligible_tier = django_filters.ChoiceFilter(
        method="by_tier", choices=tier_choices, empty_label="Any tier", label="Eligible tier"
    )
    ready = django_filters.BooleanFilter(
        method="by_tier", widget=forms.CheckboxInput, label="Ready to certify"
    )
    lapsing = django_filters.BooleanFilter(
        method="by_tier", widget=forms.CheckboxInput, label="Certification lapsing"
    )
    lapsed = django_filters.BooleanFilter(
        method="by_tier", widget=forms.CheckboxInput, label="Paid below certified tier"
    )

    class Meta:
        model = Employee
        fields = [
            "q",
            "department",
            "side",
            "site",
            "shift",
            "eligible_tier",
            "ready",
            "lapsing",
            "lapsed",
        ]

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Every word is part of the name or number, ignoring case and accents."""
        return queryset.filter(name_or_number_q(value))

    def filter_site(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(site=value) | Q(site="", department__site=value))

    def by_tier(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # applied to the ranked rows by the view: see tier_filters()

    def tier_filters(self) -> dict[str, Any]:
        """The tier filters asked for: eligible_tier (int or None), ready, lapsing and lapsed
        (bools)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        tier = data.get("eligible_tier")
        return {
            "eligible_tier": None if tier in (None, "") else int(tier),
            "ready": bool(data.get("ready")),
            "lapsing": bool(data.get("lapsing")),
            "lapsed": bool(data.get("lapsed")),
        }
