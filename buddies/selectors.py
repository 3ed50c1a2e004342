"""Reads of buddy pairings."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.urls import reverse

from buddies.models import BuddyPairing
from skills.models import Employee


def progress_buddies(employee: Employee, day: datetime.date) -> dict[str, Any]:
    """For a progress page (settings.PROGRESS_CONTEXT): the employee's go-to buddy on `day`
    (`buddy`, the pairing) and the pairings in which they are the buddy (`buddy_for`); one query."""
    pairings = list(
        BuddyPairing.objects.filter(Q(seeker=employee) | Q(buddy=employee))
        .filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .select_related("seeker__department", "buddy__department")
        .order_by("started_on")
    )
    return {
        "buddy": next((p for p in pairings if p.seeker_id == employee.pk), None),
        "buddy_for": [p for p in pairings if p.buddy_id == employee.pk],
        "pairing_history_url": reverse("buddies:pairings")
        + f"?employee={employee.employee_number}",
    }
