"""Pure rules of training records: session durations, attendance hours, module scores.

Each check returns None when the value is fine, else the problem in words; the texts are
module constants so that tests and every entry point (forms, workbook import) say the same.
"""

import calendar
import datetime
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from skills.rules import DATE_IN_FUTURE

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


def check_pass_mark(pass_mark: int) -> str | None:
    return None if 0 <= pass_mark <= 100 else PASS_MARK_INVALID.format(value=pass_mark)


def passes(score: int, pass_mark: int) -> bool:
    return score >= pass_mark


# --- Recording sessions, corrections, reviews and results (trainer workflows) -----------------

NO_ATTENDEES = "a session needs at least one attendee"
SKILL_NOT_COVERED = "{skill} is not among the skills this session covers"
SIGNOFF_NOT_ATTENDEE = "{number} is not an attendee of this session"
SESSION_REF_TAKEN = "{ref} is already the reference of another session"
CORRECTION_REASON_REQUIRED = "give the reason for this correction"
NOTHING_CHANGED = "nothing was changed"
REVIEW_BEFORE_LAST = "{day} is before the last review on {last}"
RESULT_TWICE = "{number} has more than one result in this list"
COMPLETION_EXISTS = "{number} already has a result for {module} dated {day}"
UNKNOWN_PERSON = "no employee has the number or name {name}"
NAME_AMBIGUOUS = "{name} matches more than one employee ({numbers}); use the employee number"

# Generated session references: S-YYYYMMDD-NNN, numbered from 001 within the session's date.
SESSION_REF_PREFIX = "S"


SESSION_REF_INVALID = (
    "a reference is letters, digits and - _ . only (it appears in web addresses), not {ref}"
)
SESSION_REF_RESERVED = frozenset({"new"})


def check_session_ref(ref: str) -> str | None:
    """A typed reference: it appears in the session's web address, so no slashes or spaces."""
    ok = (
        bool(ref)
        and ref.lower() not in SESSION_REF_RESERVED
        and all(c.isascii() and (c.isalnum() or c in "-_.") for c in ref)
    )
    return None if ok else SESSION_REF_INVALID.format(ref=ref)


def session_ref_prefix(day: datetime.date) -> str:
    return f"{SESSION_REF_PREFIX}-{day:%Y%m%d}-"


def next_session_ref(day: datetime.date, taken: Iterable[str]) -> str:
    """The next free generated reference of `day`, after the highest one already taken."""
    prefix = session_ref_prefix(day)
    numbers = [
        int(ref[len(prefix) :])
        for ref in taken
        if ref.startswith(prefix) and ref[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def review_due_cutoff(today: datetime.date, months: int) -> datetime.date:
    """The latest last-review date that makes a module due on `today`.

    Due means add_months(last_reviewed_on, months) <= today. add_months clamps to the month's
    end, so on the last day of a month every day of the month `months` earlier is due.
    """
    month_index = today.month - 1 - months
    year, month = today.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        return datetime.date(year, month, last)
    return datetime.date(year, month, min(today.day, last))


def check_review_date(
    day: datetime.date, last_reviewed_on: datetime.date, today: datetime.date
) -> str | None:
    if day > today:
        return DATE_IN_FUTURE.format(day=day)
    if day < last_reviewed_on:
        return REVIEW_BEFORE_LAST.format(day=day, last=last_reviewed_on)
    return None


def new_hire_deadline(hire_date: datetime.date, new_hire_days: int) -> datetime.date:
    """The day by which a new hire must have passed a new-hire module."""
    return hire_date + datetime.timedelta(days=new_hire_days)
