"""Revoking a record that is never edited or deleted (core.models.Revocable): the checks, in
words, and the write with who revoked it, when and why."""

from __future__ import annotations

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Revocable

REASON_REQUIRED = "give the reason"
ALREADY_REVOKED = "this {what} was already revoked on {day}"
REVOKED_BEFORE_RECORD = "{day} is before the {what}'s date {dated}"
REVOKED_IN_FUTURE = "{day} is in the future"

Record = TypeVar("Record", bound=Revocable)


def check_reason(text: str) -> str | None:
    return REASON_REQUIRED if not (text or "").strip() else None


def check_revocation(
    what: str,
    dated: datetime.date,
    revoked_on: datetime.date,
    already_revoked_on: datetime.date | None,
    today: datetime.date,
) -> str | None:
    """Why a `what` dated `dated` cannot be revoked as of `revoked_on`, if it cannot."""
    if already_revoked_on is not None:
        return ALREADY_REVOKED.format(what=what, day=already_revoked_on)
    if revoked_on < dated:
        return REVOKED_BEFORE_RECORD.format(what=what, day=revoked_on, dated=dated)
    if revoked_on > today:
        return REVOKED_IN_FUTURE.format(day=revoked_on)
    return None


def revoke(
    record: Record,
    *,
    what: str,
    date_field: str,
    reason: str,
    user: Any,
    revoked_on: datetime.date,
    today: datetime.date,
) -> Record:
    """Revokes `record` (a `what`, dated by `date_field`) as of `revoked_on` with a reason; it
    stays in the history. Raises ValidationError keyed by "reason" or "revoked_on"."""
    with transaction.atomic():
        current = type(record).objects.select_for_update().get(pk=record.pk)
        errors: dict[str, list[str]] = {}
        if problem := check_reason(reason):
            errors["reason"] = [problem]
        if problem := check_revocation(
            what, getattr(current, date_field), revoked_on, current.revoked_on, today
        ):
            errors["revoked_on"] = [problem]
        if errors:
            raise ValidationError(errors)
        current.revoked_on = revoked_on
        current.revoked_by = user
        current.revoke_reason = reason.strip()
        current._change_reason = reason.strip()
        current._history_user = user
        current.save(update_fields=["revoked_on", "revoked_by", "revoke_reason"])
    return current
