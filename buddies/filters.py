"""The pairings list's filters."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone

from buddies.models import BuddyPairing
from skills.filters import name_or_number_q
from skills.models import Department, Employee


class PairingFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        method="by_status",
        choices=[("active", "Active today"), ("ended", "Ended")],
        empty_label="Active and ended",
        label="Status",
    )
    employee = django_filters.CharFilter(method="by_employee", label="Name or number")
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.order_by("code"),
        method="by_department",
        empty_label="All departments",
        label="Department",
    )

    class Meta:
        model = BuddyPairing
        fields = ["status", "employee", "department"]

    def by_status(self, queryset, name, value):
        today = timezone.localdate()
        active = Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        return queryset.filter(active) if value == "active" else queryset.exclude(active)

    def by_employee(self, queryset, name, value):
        """One person's pairings when the value is their number (the person page links here);
        otherwise every word in part of the seeker's or the buddy's name or number."""
        number = value.strip().upper()
        if Employee.objects.filter(employee_number=number).exists():
            return queryset.filter(
                Q(seeker__employee_number=number) | Q(buddy__employee_number=number)
            )
        return queryset.filter(
            name_or_number_q(value, "seeker__") | name_or_number_q(value, "buddy__")
        )

    def by_department(self, queryset, name, value):
        return queryset.filter(Q(seeker__department=value) | Q(buddy__department=value))
