"""Pure rules of people and skills: calendar months, employment on a date, sign-off checks.

Each check returns None when the value is fine, else the problem in words; the texts are
module constants so that tests and every entry point (forms, workbook import) say the same.
"""

import calendar
import datetime

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


def check_assessor(employee_number: str, assessor_number: str) -> str | None:
    if employee_number == assessor_number:
        return ASSESSOR_IS_EMPLOYEE.format(number=employee_number)
    return None


def check_not_future(day: datetime.date, today: datetime.date) -> str | None:
    return DATE_IN_FUTURE.format(day=day) if day > today else None
