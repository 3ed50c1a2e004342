"""django-filter filter sets of the trainer's lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from skills.filters import name_or_number_q
from skills.models import Department, Employee
from training.models import TrainingSession, WorkflowModule
from training.selectors import modules_due_for_review

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SessionFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="From", widget=DATE
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="To", widget=DATE
    )
    host_department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), label="Host department", empty_label="Any department"
    )
    kind = django_filters.ChoiceFilter(choices=TrainingSession.Kind.choices, empty_label="Any kind")
    trainer = django_filters.CharFilter(
        label="Trainer", method="filter_trainer", help_text="Employee number or name."
    )

    class Meta:
        model = TrainingSession
        fields = ["date_from", "date_to", "host_department", "kind", "trainer"]

    def filter_trainer(self, queryset, name, value):
        """Every word is part of the trainer's name or number, ignoring case and accents."""
        return queryset.filter(name_or_number_q(value, "trainer__"))


class ModuleFilter(django_filters.FilterSet):
    review_due = django_filters.BooleanFilter(
        label="Review due",
        method="filter_review_due",
        widget=forms.Select(
            choices=[("", "Any"), ("true", "Due for review"), ("false", "Not due")]
        ),
    )
    is_new_hire = django_filters.BooleanFilter(
        label="New-hire modules",
        widget=forms.Select(choices=[("", "Any"), ("true", "New-hire only"), ("false", "Others")]),
    )

    class Meta:
        model = WorkflowModule
        fields = ["review_due", "is_new_hire"]

    def filter_review_due(self, queryset, name, value):
        due = modules_due_for_review(timezone.localdate())
        return queryset.filter(due) if value else queryset.exclude(due)


class NewHireFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), empty_label="Any department"
    )

    class Meta:
        model = Employee
        fields = ["department"]
