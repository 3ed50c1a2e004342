"""Pure rules of training records: session durations, attendance hours, module scores.

Each check returns None when the value is fine, else the problem in words; the texts are
module constants so that tests and every entry point (forms, workbook import) say the same.
"""

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

MAX_SESSION_HOURS = Decimal("12")
QUARTER_HOUR = Decimal("0.25")

DURATION_INVALID = "duration must be a multiple of 0.25 hours, above 0 and at most 12, not {value}"
HOURS_INVALID = "hours must be a multiple of 0.25 above 0, not {value}"
HOURS_ABOVE_DURATION = "{hours} hours is more than the session's {duration} hours"
TRAINER_ATTENDS = "the trainer {number} cannot attend their own session"
ATTENDEE_TWICE = "{number} is listed more than once"
SCORE_INVALID = "score must be a whole number from 0 to 100, not {value}"
PASS_MARK_INVALID = "pass mark must be a whole number from 0 to 100, not {value}"


def is_quarter_hours(value: Decimal) -> bool:
    try:
        return value > 0 and (value / QUARTER_HOUR) == (value / QUARTER_HOUR).to_integral_value()
    except InvalidOperation:
        return False


def check_duration(value: Decimal) -> str | None:
    if is_quarter_hours(value) and value <= MAX_SESSION_HOURS:
        return None
    return DURATION_INVALID.format(value=value)


def check_attendance_hours(hours: Decimal, duration: Decimal) -> str | None:
    if not is_quarter_hours(hours):
        return HOURS_INVALID.format(value=hours)
    if hours > duration:
        return HOURS_ABOVE_DURATION.format(hours=hours, duration=duration)
    return None


def check_trainer_not_attending(trainer_number: str, attendee_number: str) -> str | None:
    if trainer_number == attendee_number:
        return TRAINER_ATTENDS.format(number=trainer_number)
    return None


def repeated_attendees(numbers: Iterable[str]) -> list[str]:
    """Employee numbers that appear more than once, in first-seen order."""
    counts = Counter(numbers)
    return [number for number, count in counts.items() if count > 1]


def check_score(score: int) -> str | None:
    return None if 0 <= score <= 100 else SCORE_INVALID.format(value=score)


def passes(score: int, pass_mark: int) -> bool:
    return score >= pass_mark
