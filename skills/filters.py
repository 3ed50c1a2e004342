"""Filters of the coverage, "who can help" and expiring sign-off pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet

from core.text import search_words
from skills.models import Department, Employee, Signoff

MAX_EXPIRY_DAYS = 365
GROUP_EMPLOYEE = "employee"
GROUP_TRAINER = "trainer"
GROUP_CHOICES = [(GROUP_EMPLOYEE, "By employee"), (GROUP_TRAINER, "By trainer")]


def site_choices() -> list[tuple[str, str]]:
    sites = set(Department.objects.exclude(site="").values_list("site", flat=True))
    sites |= set(
        Employee.objects.exclude(site="").order_by().values_list("site", flat=True).distinct()
    )
    return [(site, site) for site in sorted(sites)]


def expiry_warning_days() -> int:
    return settings.TRACKER["EXPIRY_WARNING_DAYS"]


def name_or_number_q(value: str, prefix: str = "") -> Q:
    """Every word is part of the name or number, ignoring case and accents (core.text)."""
    query = Q()
    for word in search_words(value):
        query &= Q(**{f"{prefix}search_key__contains": word})
    return query


class CoverageForm(forms.Form):
    """Which departments the heat map shows (a GET form)."""

    side = forms.ChoiceField(choices=[("", "Both sides"), *Department.Side.choices], required=False)
    site = forms.ChoiceField(required=False)
    spof_only = forms.BooleanField(
        required=False, label="Only skills with a single point of failure"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].choices = [("", "All sites"), *site_choices()]

    def departments(self) -> QuerySet[Department]:
        departments = Department.objects.all()
        if not self.is_valid():
            return departments
        if self.cleaned_data["side"]:
            departments = departments.filter(side=self.cleaned_data["side"])
        if self.cleaned_data["site"]:
            departments = departments.filter(site=self.cleaned_data["site"])
        return departments


class HelperFilter(django_filters.FilterSet):
    """Narrows "who can help" by where and when the helpers work."""

    site = django_filters.ChoiceFilter(
        method="filter_site", choices=site_choices, empty_label="All sites"
    )
    shift = django_filters.ChoiceFilter(choices=Employee.Shift.choices, empty_label="All shifts")

    class Meta:
        model = Employee
        fields = ["site", "shift"]

    def filter_site(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(site=value) | Q(site="", department__site=value))

    def narrowed(self) -> bool:
        return bool(self.form.is_valid() and any(self.form.cleaned_data.values()))


class ExpiringFilter(django_filters.FilterSet):
    """The expiry view's filters: the window, whose sign-offs, and how they are grouped."""

    days = django_filters.NumberFilter(
        method="keep",
        label="Expiring within (days)",
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EXPIRY_DAYS)],
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_EXPIRY_DAYS}),
    )
    q = django_filters.CharFilter(method="filter_name", label="Employee name or number")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("code"), empty_label="All departments"
    )
    trainer = django_filters.CharFilter(method="keep", label="Assessed by (name or number)")
    group = django_filters.ChoiceFilter(
        method="keep", choices=GROUP_CHOICES, empty_label=None, label="Group"
    )

    class Meta:
        model = Employee
        fields = ["days", "q", "department", "trainer", "group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["days"].extra["initial"] = expiry_warning_days()
        self.form.fields["days"].widget.attrs["placeholder"] = str(expiry_warning_days())

    def filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(name_or_number_q(value))

    def keep(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # not a filter of employees: read by the view through options()

    def options(self) -> dict[str, Any]:
        """days (default from settings), group, whether employees are narrowed, and the
        sign-offs to list (a trainer's only, when asked)."""
        data = self.form.cleaned_data if self.is_bound and self.form.is_valid() else {}
        signoffs = None
        if data.get("trainer"):
            signoffs = Signoff.objects.filter(name_or_number_q(data["trainer"], "assessor__"))
        return {
            "days": int(data.get("days") or expiry_warning_days()),
            "group": data.get("group") or GROUP_EMPLOYEE,
            "narrowed": bool(data.get("q") or data.get("department")),
            "signoffs": signoffs,
        }
