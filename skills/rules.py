"""Pure rules of people and skills: calendar months, employment on a date, sign-off checks.

Each check returns None when the value is fine, else the problem in words; the texts are
module constants so that tests and every entry point (forms, workbook import) say the same.
"""

import calendar
import datetime
from collections.abc import Iterable
from typing import NamedTuple

from django.db.models import IntegerChoices

from core import revocation


class Level(IntegerChoices):
    AWARE = 1, "Aware"
    ASSISTED = 2, "Assisted"
    INDEPENDENT = 3, "Independent"
    CAN_TRAIN = 4, "Can train others"


# The level that makes someone qualified: it counts for other-side skills, coverage and
# "who can help".
QUALIFIED_LEVEL = Level.INDEPENDENT

LEVEL_OUT_OF_RANGE = "level must be 1 to 4, not {value}"
ASSESSOR_IS_EMPLOYEE = "{number} cannot sign off their own skill"
HIRED_AFTER = "{number} was hired on {hire}, after {day}"
LEFT_BEFORE = "{number} left on {termination}, on or before {day}"
DATE_IN_FUTURE = "{day} is in the future"


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus calendar months, clamped to the month's end: 2026-01-31 + 1 = 2026-02-28."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def is_active_on(
    hire_date: datetime.date, termination_date: datetime.date | None, day: datetime.date
) -> bool:
    """Employed on `day`: hired on or before it, and not terminated on or before it."""
    return hire_date <= day and (termination_date is None or termination_date > day)


def check_active(
    number: str,
    hire_date: datetime.date,
    termination_date: datetime.date | None,
    day: datetime.date,
) -> str | None:
    if hire_date > day:
        return HIRED_AFTER.format(number=number, hire=hire_date, day=day)
    if termination_date is not None and termination_date <= day:
        return LEFT_BEFORE.format(number=number, termination=termination_date, day=day)
    return None


def check_level(level: int) -> str | None:
    return None if 1 <= level <= 4 else LEVEL_OUT_OF_RANGE.format(value=level)


SELF_CREDIT = "{number} is your own employee record: someone else records your {what}, not you"


def check_not_own_record(number: str, own_number: str | None, what: str) -> str | None:
    """Nobody records their own sign-offs, attendance or results, whoever they name as the
    assessor or trainer: `own_number` is the signed-in person's employee number, if any."""
    if own_number is not None and number == own_number:
        return SELF_CREDIT.format(number=number, what=what)
    return None


def check_assessor(employee_number: str, assessor_number: str) -> str | None:
    if employee_number == assessor_number:
        return ASSESSOR_IS_EMPLOYEE.format(number=employee_number)
    return None


def check_not_future(day: datetime.date, today: datetime.date) -> str | None:
    return DATE_IN_FUTURE.format(day=day) if day > today else None


# --- Recording and revoking sign-offs (trainer workflows) -------------------------------------

UNKNOWN_EMPLOYEE = "no employee has the number {number}"
LEVEL_REQUIRED = "choose a level from 1 to 4"
ASSESSOR_NOT_QUALIFIED = (
    "{number} cannot assess {skill}: an assessor needs the trainer role or level 4 on it "
    "(level {level} on {day})"
)
SIGNOFF_EXISTS = "{number} already has a level {level} sign-off on {skill} dated {day}"
SIGNOFF_TWICE = "{number} is signed off at level {level} on {skill} more than once"
# A sign-off's revocation in the words of core.revocation, which every revocable record uses.
ALREADY_REVOKED = revocation.ALREADY_REVOKED.format(what="sign-off", day="{day}")
REASON_REQUIRED = revocation.REASON_REQUIRED
REVOKED_BEFORE_ASSESSED = revocation.REVOKED_BEFORE_RECORD.format(
    what="sign-off", day="{day}", dated="{assessed}"
)

CAN_TRAIN_LEVEL = 4


class SignoffSpan(NamedTuple):
    """The dates that decide when one sign-off counts."""

    level: int
    assessed_on: datetime.date
    expires_on: datetime.date | None
    revoked_on: datetime.date | None


def signoff_expires_on(
    assessed_on: datetime.date, recert_months: int | None
) -> datetime.date | None:
    """A sign-off expires `recert_months` calendar months after it was assessed; never if blank."""
    return add_months(assessed_on, recert_months) if recert_months else None


def signoff_valid_on(
    assessed_on: datetime.date,
    expires_on: datetime.date | None,
    revoked_on: datetime.date | None,
    day: datetime.date,
) -> bool:
    """DOMAIN.md: assessed on or before D, not revoked on or before D, and D before its expiry."""
    if assessed_on > day:
        return False
    if revoked_on is not None and revoked_on <= day:
        return False
    return expires_on is None or day < expires_on


def span_valid_on(span: SignoffSpan, day: datetime.date) -> bool:
    return signoff_valid_on(span.assessed_on, span.expires_on, span.revoked_on, day)


def level_on(spans: Iterable[SignoffSpan], day: datetime.date) -> int:
    """The highest level among the sign-offs valid on `day`, else 0."""
    return max((s.level for s in spans if span_valid_on(s, day)), default=0)


def signoff_status(span: SignoffSpan, day: datetime.date, warning_days: int) -> str:
    """One word for a sign-off on `day`: REVOKED, EXPIRED, EXPIRING (within the warning), VALID,
    or PENDING (dated after `day`)."""
    if span.revoked_on is not None and span.revoked_on <= day:
        return "REVOKED"
    if span.assessed_on > day:
        return "PENDING"
    if span.expires_on is not None and span.expires_on <= day:
        return "EXPIRED"
    if span.expires_on is not None and (span.expires_on - day).days <= warning_days:
        return "EXPIRING"
    return "VALID"


def check_assessor_qualified(
    number: str, skill_code: str, *, is_trainer: bool, level: int, day: datetime.date
) -> str | None:
    """An assessor holds the trainer role, or level 4 on the skill on the sign-off's date."""
    if is_trainer or level >= CAN_TRAIN_LEVEL:
        return None
    return ASSESSOR_NOT_QUALIFIED.format(number=number, skill=skill_code, level=level, day=day)


check_reason = revocation.check_reason


def check_revocation(
    assessed_on: datetime.date,
    revoked_on: datetime.date,
    already_revoked_on: datetime.date | None,
    today: datetime.date,
) -> str | None:
    return revocation.check_revocation(
        "sign-off", assessed_on, revoked_on, already_revoked_on, today
    )
