"""What the buddies app adds to the manager's home page (settings.HOME_CONTEXT)."""

from __future__ import annotations

from django.utils import timezone

from buddies.suggestions import active_pairings
from certificates.home import manager_home as certificates_manager_home
from certificates.selectors import employees_active_on
from skills.models import Department, Employee


def unpaired_front_count(day) -> int:
    """Front-office employees active on `day` without a go-to buddy that day (one query)."""
    return (
        employees_active_on(day)
        .filter(department__side=Department.Side.FRONT)
        .exclude(pk__in=active_pairings(day).values("seeker_id"))
        .count()
    )


def manager_home(request, employee: Employee | None) -> dict:
    context = certificates_manager_home(request, employee)
    context["unpaired_count"] = unpaired_front_count(context.get("today") or timezone.localdate())
    return context
