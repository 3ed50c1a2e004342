"""What the trainer's home page shows (settings.HOME_CONTEXT["trainer"]): today's and recent
sessions, sign-offs of the people they trained that expire soon, and their modules due for review.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from skills.models import Employee
from training import selectors


def trainer_home(request, employee: Employee | None) -> dict:
    today = timezone.localdate()
    sessions = list(selectors.trainer_sessions(trainer=employee, user=request.user, today=today))
    return {
        "today": today,
        "sessions_today": [s for s in sessions if s.date == today],
        "sessions_recent": [s for s in sessions if s.date != today],
        "recent_days": settings.TRACKER["RECENT_SESSION_DAYS"],
        "warning_days": settings.TRACKER["EXPIRY_WARNING_DAYS"],
        "expiring": (selectors.expiring_signoffs_of_trainees(employee, today) if employee else []),
        "modules_due": (selectors.owned_modules_for_review(employee, today) if employee else []),
    }
