"""Pure date rules of skills: calendar-month arithmetic for sign-off expiry."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` plus calendar months, clamped to the month's end: 2026-01-31 + 1 = 2026-02-28."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))
