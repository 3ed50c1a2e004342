"""The training app's sheets of the organisation workbook: Modules, Sessions, Attendance and
Completions (specs, record types, loaders and validators; see skills/workbook.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from core.spreadsheets.checks import WorkbookCheck, field_limit, text_of
from core.spreadsheets.reading import (
    BoundSheet,
    CellError,
    Column,
    SheetSpec,
    Table,
    as_choice,
    as_date,
    as_decimal,
    as_int,
    as_list,
    as_text,
    as_yes_no,
)
from skills import rules as skill_rules
from skills.workbook import (
    DEPARTMENT_CODE,
    DEPARTMENTS,
    EMPLOYEE_NUMBER,
    EMPLOYEES,
    SKILL_CODE,
    SKILLS,
    UNKNOWN_DEPARTMENT,
    UNKNOWN_EMPLOYEE,
    UNKNOWN_SKILL,
    check_employed,
)
from training import rules
from training.models import (
    Attendance,
    ModuleCompletion,
    TrainingSession,
    WorkflowModule,
)

UNKNOWN_MODULE = "unknown module {code}"
UNKNOWN_SESSION = "unknown session {ref}"
NEW_HIRE_DAYS_INVALID = "new_hire_days must be a whole number of at least 1, not {value}"
SESSION_NO_LONGER_FITS = "{number}'s attendance of {hours} hours: {problem}"

MODULES = SheetSpec(
    "Modules",
    (
        Column("code", True),
        Column("title", True),
        Column("version", True),
        Column("owner_number", True),
        Column("last_reviewed_on", True),
        Column("pass_mark"),
        Column("new_hire"),
        Column("new_hire_days"),
    ),
    key=("code",),
)
SESSIONS = SheetSpec(
    "Sessions",
    (
        Column("session_ref", True),
        Column("date", True),
        Column("host_department_code", True),
        Column("kind", True),
        Column("trainer_number", True),
        Column("duration_hours", True),
        Column("skills"),
        Column("notes"),
    ),
    key=("session_ref",),
)
ATTENDANCE = SheetSpec(
    "Attendance",
    (Column("session_ref", True), Column("employee_number", True), Column("hours")),
    key=("session_ref", "employee_number"),
)
COMPLETIONS = SheetSpec(
    "Completions",
    (
        Column("employee_number", True),
        Column("module_code", True),
        Column("completed_on", True),
        Column("score", True),
        Column("version"),
    ),
    key=("employee_number", "module_code", "completed_on"),
)


class ModuleRecord(NamedTuple):
    code: str
    title: str
    version: str
    owner_number: str
    last_reviewed_on: datetime.date
    pass_mark: int
    new_hire: bool
    new_hire_days: int


class SessionRecord(NamedTuple):
    session_ref: str
    date: datetime.date
    host_department_code: str
    kind: str
    trainer_number: str
    duration_hours: Decimal
    skills: tuple[str, ...]  # sorted codes
    notes: str


class AttendanceRecord(NamedTuple):
    session_ref: str
    employee_number: str
    hours: Decimal


class CompletionRecord(NamedTuple):
    employee_number: str
    module_code: str
    completed_on: datetime.date
    score: int
    version: str


def model_default(model, name: str) -> Any:
    return model._meta.get_field(name).default


DEFAULT_PASS_MARK = model_default(WorkflowModule, "pass_mark")
DEFAULT_NEW_HIRE = model_default(WorkflowModule, "is_new_hire")
DEFAULT_NEW_HIRE_DAYS = model_default(WorkflowModule, "new_hire_days")

MODULE_CODE = text_of(field_limit(WorkflowModule, "code"))
SESSION_REF = text_of(field_limit(TrainingSession, "session_ref"))
KIND = as_choice(*TrainingSession.Kind.values)


def as_pass_mark(value: Any) -> int:
    mark = as_int(value)
    message = rules.check_pass_mark(mark)
    if message:
        raise CellError(message)
    return mark


def as_score(value: Any) -> int:
    score = as_int(value)
    message = rules.check_score(score)
    if message:
        raise CellError(message)
    return score


def as_duration(value: Any) -> Decimal:
    hours = as_decimal(value)
    message = rules.check_duration(hours)
    if message:
        raise CellError(message)
    return hours


def as_new_hire_days(value: Any) -> int:
    days = as_int(value)
    if days < 1 or days > 32767:
        raise CellError(NEW_HIRE_DAYS_INVALID.format(value=days))
    return days


def as_hours(value: Any) -> Decimal:
    hours = as_decimal(value)
    if not rules.is_quarter_hours(hours):
        raise CellError(rules.HOURS_INVALID.format(value=hours))
    return hours


# --- Loaders ----------------------------------------------------------------------------------


def load_modules(table: Table) -> None:
    rows = WorkflowModule.objects.values_list(
        "pk",
        "code",
        "title",
        "version",
        "owner__employee_number",
        "last_reviewed_on",
        "pass_mark",
        "is_new_hire",
        "new_hire_days",
    )
    for pk, *values in rows:
        record = ModuleRecord(*values)
        table.existing[record.code] = record
        table.pks[record.code] = pk


def load_sessions(table: Table) -> None:
    skills: dict[int, list[str]] = defaultdict(list)
    for session_id, code in TrainingSession.skills.through.objects.values_list(
        "trainingsession_id", "skill__code"
    ):
        skills[session_id].append(code)
    rows = TrainingSession.objects.values_list(
        "pk",
        "session_ref",
        "date",
        "host_department__code",
        "kind",
        "trainer__employee_number",
        "duration_hours",
        "notes",
    )
    for pk, ref, day, host, kind, trainer, duration, notes in rows:
        codes = tuple(sorted(skills.get(pk, ())))
        table.existing[ref] = SessionRecord(ref, day, host, kind, trainer, duration, codes, notes)
        table.pks[ref] = pk


def load_attendance(table: Table) -> None:
    existing = table.existing
    pks = table.pks
    for pk, ref, number, hours in Attendance.objects.values_list(
        "pk", "session__session_ref", "employee__employee_number", "hours"
    ):
        key = (ref, number)
        existing[key] = AttendanceRecord(ref, number, hours)
        pks[key] = pk


def load_completions(table: Table) -> None:
    for pk, *values in ModuleCompletion.objects.values_list(
        "pk",
        "employee__employee_number",
        "module__code",
        "completed_on",
        "score",
        "version",
    ):
        record = CompletionRecord(*values)
        key = (record.employee_number, record.module_code, record.completed_on)
        table.existing[key] = record
        table.pks[key] = pk


LOADERS: dict[str, Callable[[Table], None]] = {
    MODULES.name: load_modules,
    SESSIONS.name: load_sessions,
    ATTENDANCE.name: load_attendance,
    COMPLETIONS.name: load_completions,
}


# --- Validators --------------------------------------------------------------------------------


def check_modules(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(MODULES.name)
    title_text = text_of(field_limit(WorkflowModule, "title"))
    version_text = text_of(field_limit(WorkflowModule, "version"))
    for row in bound.rows():
        code = row.take("code", MODULE_CODE, required=True)
        title = row.take("title", title_text, required=True)
        version = row.take("version", version_text, required=True)
        owner = row.take("owner_number", EMPLOYEE_NUMBER, required=True)
        reviewed = row.take("last_reviewed_on", as_date, required=True)
        pass_mark = row.take("pass_mark", as_pass_mark, default=DEFAULT_PASS_MARK)
        new_hire = row.take("new_hire", as_yes_no, default=DEFAULT_NEW_HIRE)
        days = row.take("new_hire_days", as_new_hire_days, default=DEFAULT_NEW_HIRE_DAYS)
        check.refer(
            row, "owner_number", EMPLOYEES.name, owner, UNKNOWN_EMPLOYEE.format(number=owner)
        )
        record = ModuleRecord(code, title, version, owner, reviewed, pass_mark, new_hire, days)
        check.add(table, row, code, record)


def check_sessions(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(SESSIONS.name)
    skills = check.table(SKILLS.name)
    today = check.today
    for row in bound.rows():
        ref = row.take("session_ref", SESSION_REF, required=True)
        day = row.take("date", as_date, required=True)
        host = row.take("host_department_code", DEPARTMENT_CODE, required=True)
        kind = row.take("kind", KIND, required=True)
        trainer = row.take("trainer_number", EMPLOYEE_NUMBER, required=True)
        duration = row.take("duration_hours", as_duration, required=True)
        codes = row.take("skills", as_list, default=())
        notes = row.take("notes", as_text, default="")
        check.refer(
            row,
            "host_department_code",
            DEPARTMENTS.name,
            host,
            UNKNOWN_DEPARTMENT.format(code=host),
        )
        if check.refer(
            row, "trainer_number", EMPLOYEES.name, trainer, UNKNOWN_EMPLOYEE.format(number=trainer)
        ):
            check_employed(check, row, "trainer_number", trainer, day)
        if day is not None:
            message = skill_rules.check_not_future(day, today)
            if message:
                row.fail("date", message)
        for code in codes:
            try:
                SKILL_CODE(code)
            except CellError as error:
                row.fail("skills", error.message)
                continue
            check.refer(row, "skills", skills.name, code, UNKNOWN_SKILL.format(code=code))
        record = SessionRecord(
            ref, day, host, kind, trainer, duration, tuple(sorted(set(codes))), notes
        )
        check.add(table, row, ref, record)


def check_attendance(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(ATTENDANCE.name)
    sessions = check.table(SESSIONS.name)
    for row in bound.rows():
        ref = row.take("session_ref", SESSION_REF, required=True)
        number = row.take("employee_number", EMPLOYEE_NUMBER, required=True)
        hours = row.take("hours", as_hours)
        session_known = check.refer(
            row, "session_ref", sessions.name, ref, UNKNOWN_SESSION.format(ref=ref)
        )
        employee_known = check.refer(
            row, "employee_number", EMPLOYEES.name, number, UNKNOWN_EMPLOYEE.format(number=number)
        )
        if ref is None or number is None:
            row.ok = False
            continue
        session = sessions.get(ref) if session_known else None
        if session is not None:
            if hours is None and row.ok:
                hours = session.duration_hours  # blank: the whole session
            elif hours is not None:
                message = rules.check_attendance_hours(hours, session.duration_hours)
                if message:
                    row.fail("hours", message)
            message = rules.check_trainer_not_attending(session.trainer_number, number)
            if message:
                row.fail("employee_number", message)
            elif employee_known:
                check_employed(check, row, "employee_number", number, session.date)
        check.add(table, row, (ref, number), AttendanceRecord(ref, number, hours))


def check_sessions_still_fit(check: WorkbookCheck) -> None:
    """A session the workbook changes must still fit the attendance it already has.

    Attendance rows of the workbook were checked against the new session; this checks the
    database's other rows of that session (new date, trainer or duration). It runs once every
    sheet is checked.
    """
    sessions = check.table(SESSIONS.name)
    changed = {
        ref: session
        for ref, session in sessions.incoming.items()
        if ref in sessions.existing and sessions.existing[ref] != session
    }
    if not changed:
        return
    attendance = check.table(ATTENDANCE.name)
    employees = check.table(EMPLOYEES.name)
    reported: set[str] = set()
    for key, record in attendance.existing.items():
        ref, number = key
        session = changed.get(ref)
        if session is None or key in attendance.incoming or ref in reported:
            continue
        person = employees.get(number)
        message = (
            rules.check_attendance_hours(record.hours, session.duration_hours)
            or rules.check_trainer_not_attending(session.trainer_number, number)
            or (
                person
                and skill_rules.check_active(
                    number, person.hire_date, person.termination_date, session.date
                )
            )
        )
        if message:
            reported.add(ref)
            number_row = sessions.rows[ref]
            sessions.incoming.pop(ref)
            sessions.broken.add(ref)
            check.problem(
                SESSION_NO_LONGER_FITS.format(number=number, hours=record.hours, problem=message),
                _session_location(check, number_row),
            )


def _session_location(check: WorkbookCheck, number: int):
    bound = check.bound.get(SESSIONS.name)
    return bound.location(number, "session_ref")


def check_completions(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(COMPLETIONS.name)
    today = check.today
    version_text = text_of(field_limit(ModuleCompletion, "version"))
    for row in bound.rows():
        number = row.take("employee_number", EMPLOYEE_NUMBER, required=True)
        module = row.take("module_code", MODULE_CODE, required=True)
        day = row.take("completed_on", as_date, required=True)
        score = row.take("score", as_score, required=True)
        version = row.take("version", version_text, default="")
        if check.refer(
            row, "employee_number", EMPLOYEES.name, number, UNKNOWN_EMPLOYEE.format(number=number)
        ):
            check_employed(check, row, "employee_number", number, day)
        check.refer(row, "module_code", MODULES.name, module, UNKNOWN_MODULE.format(code=module))
        if day is not None:
            message = skill_rules.check_not_future(day, today)
            if message:
                row.fail("completed_on", message)
        if None in (number, module, day):
            row.ok = False
            continue
        record = CompletionRecord(number, module, day, score, version)
        check.add(table, row, (number, module, day), record)
