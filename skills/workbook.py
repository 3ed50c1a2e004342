"""The skills app's sheets of the organisation workbook: Departments, Employees, Skills, Signoffs.

Each sheet has a spec (columns in order, natural key), a record type whose fields follow the
columns (so a row of the workbook and a row of the database compare as equal tuples), a loader
of what the database holds (one query) and a validator that checks each row, reports problems at
their cells and files the row's record under its natural key, in the `WorkbookCheck`
(core/spreadsheets/checks.py) that the validators of every app share. `check_employed` holds
every dated row to the domain's rule that the people in it are employed on its date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from core.spreadsheets.checks import WorkbookCheck, field_limit, text_of
from core.spreadsheets.reading import (
    BoundSheet,
    CellError,
    Column,
    Key,
    Row,
    SheetSpec,
    Table,
    as_choice,
    as_date,
    as_int,
    as_text,
)
from skills import rules
from skills.models import Department, Employee, Signoff, Skill

UNKNOWN_DEPARTMENT = "unknown department {code}"
UNKNOWN_EMPLOYEE = "unknown employee {number}"
UNKNOWN_SKILL = "unknown skill {code}"
NOT_AN_EMAIL = "{value} is not an email address"
TERMINATED_BEFORE_HIRED = "termination date {termination} is before the hire date {hire}"
OWN_MANAGER = "{number} cannot be their own manager"
SOMEONE_ELSE = (
    "{number} is {name} here, hired {hired}; this row would turn that record into {new}, "
    "hired {new_hired}: check the employee number"
)
RECERT_MONTHS_INVALID = "recert_months must be a whole number of at least 1, not {value}"
STILL_RECORDED = (
    "{number} {what} on {day}, when these dates say they were not employed; correct the "
    "dates, or that record first"
)

DEPARTMENTS = SheetSpec(
    "Departments",
    (Column("code", True), Column("name", True), Column("side", True), Column("site")),
    key=("code",),
)
EMPLOYEES = SheetSpec(
    "Employees",
    (
        Column("employee_number", True),
        Column("first_name", True),
        Column("last_name", True),
        Column("email"),
        Column("department_code", True),
        Column("site"),
        Column("shift"),
        Column("hire_date", True),
        Column("termination_date"),
        Column("manager_number"),
    ),
    key=("employee_number",),
)
SKILLS = SheetSpec(
    "Skills",
    (
        Column("code", True),
        Column("name", True),
        Column("department_code"),
        Column("recert_months"),
    ),
    key=("code",),
)
SIGNOFFS = SheetSpec(
    "Signoffs",
    (
        Column("employee_number", True),
        Column("skill_code", True),
        Column("level", True),
        Column("assessed_on", True),
        Column("assessor_number", True),
        Column("evidence"),
    ),
    key=("employee_number", "skill_code", "assessed_on", "level"),
)


class DepartmentRecord(NamedTuple):
    code: str
    name: str
    side: str
    site: str


class EmployeeRecord(NamedTuple):
    employee_number: str
    first_name: str
    last_name: str
    email: str
    department_code: str
    site: str  # as stored: blank means the department's site
    shift: str
    hire_date: datetime.date
    termination_date: datetime.date | None
    manager_number: str | None


class SkillRecord(NamedTuple):
    code: str
    name: str
    department_code: str | None
    recert_months: int | None


class SignoffRecord(NamedTuple):
    employee_number: str
    skill_code: str
    level: int
    assessed_on: datetime.date
    assessor_number: str
    evidence: str


def signoff_key(record: SignoffRecord) -> Key:
    return (record.employee_number, record.skill_code, record.assessed_on, record.level)


def check_employed(
    check: WorkbookCheck, row: Row, column: str, number: str | None, day: Any
) -> None:
    """DOMAIN.md: everyone in a dated record is employed on its date."""
    if number is None or day is None:
        return
    person = check.table(EMPLOYEES.name).get(number)
    if person is None:
        return
    message = rules.check_active(number, person.hire_date, person.termination_date, day)
    if message:
        row.fail(column, message)


def as_email(value: Any) -> str:
    text = text_of(field_limit(Employee, "email"))(value)
    try:
        validate_email(text)
    except ValidationError:
        raise CellError(NOT_AN_EMAIL.format(value=text)) from None
    return text


def as_level(value: Any) -> int:
    level = as_int(value)
    message = rules.check_level(level)
    if message:
        raise CellError(message)
    return level


def as_recert_months(value: Any) -> int:
    months = as_int(value)
    if months < 1 or months > 32767:
        raise CellError(RECERT_MONTHS_INVALID.format(value=months))
    return months


DEPARTMENT_CODE = text_of(field_limit(Department, "code"))
EMPLOYEE_NUMBER = text_of(field_limit(Employee, "employee_number"))
SKILL_CODE = text_of(field_limit(Skill, "code"))
SIDE = as_choice(*Department.Side.values)
SHIFT = as_choice(*Employee.Shift.values)
DEFAULT_SHIFT = Employee._meta.get_field("shift").default


# --- Loaders: what the database holds, one query each --------------------------------------


def load_departments(table: Table) -> None:
    for pk, code, name, side, site in Department.objects.values_list(
        "pk", "code", "name", "side", "site"
    ):
        table.existing[code] = DepartmentRecord(code, name, side, site)
        table.pks[code] = pk


def load_employees(table: Table) -> None:
    rows = Employee.objects.values_list(
        "pk",
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "department__code",
        "site",
        "shift",
        "hire_date",
        "termination_date",
        "manager__employee_number",
    )
    for pk, *values in rows:
        record = EmployeeRecord(*values)
        table.existing[record.employee_number] = record
        table.pks[record.employee_number] = pk


def load_skills(table: Table) -> None:
    for pk, code, name, department, months in Skill.objects.values_list(
        "pk", "code", "name", "department__code", "recert_months"
    ):
        table.existing[code] = SkillRecord(code, name, department, months)
        table.pks[code] = pk


def load_signoffs(table: Table) -> None:
    """Sign-offs that are not revoked: only those match a workbook row (DOMAIN.md's key)."""
    rows = Signoff.objects.filter(revoked_on__isnull=True).values_list(
        "pk",
        "employee__employee_number",
        "skill__code",
        "level",
        "assessed_on",
        "assessor__employee_number",
        "evidence",
    )
    for pk, *values in rows:
        record = SignoffRecord(*values)
        key = signoff_key(record)
        table.existing[key] = record
        table.pks[key] = pk


LOADERS: dict[str, Callable[[Table], None]] = {
    DEPARTMENTS.name: load_departments,
    EMPLOYEES.name: load_employees,
    SKILLS.name: load_skills,
    SIGNOFFS.name: load_signoffs,
}


# --- Validators --------------------------------------------------------------------------------


def check_departments(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(DEPARTMENTS.name)
    name_text = text_of(field_limit(Department, "name"))
    site_text = text_of(field_limit(Department, "site"))
    for row in bound.rows():
        code = row.take("code", DEPARTMENT_CODE, required=True)
        name = row.take("name", name_text, required=True)
        side = row.take("side", SIDE, required=True)
        site = row.take("site", site_text, default="")
        check.add(table, row, code, DepartmentRecord(code, name, side, site))


def check_employees(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(EMPLOYEES.name)
    departments = check.table(DEPARTMENTS.name)
    first_text = text_of(field_limit(Employee, "first_name"))
    last_text = text_of(field_limit(Employee, "last_name"))
    site_text = text_of(field_limit(Employee, "site"))
    managed: list[tuple[Row, str, str]] = []
    for row in bound.rows():
        number = row.take("employee_number", EMPLOYEE_NUMBER, required=True)
        first = row.take("first_name", first_text, required=True)
        last = row.take("last_name", last_text, required=True)
        email = row.take("email", as_email, default="")
        department = row.take("department_code", DEPARTMENT_CODE, required=True)
        site = row.take("site", site_text, default="")
        shift = row.take("shift", SHIFT, default=DEFAULT_SHIFT)
        hired = row.take("hire_date", as_date, required=True)
        terminated = row.take("termination_date", as_date)
        manager = row.take("manager_number", EMPLOYEE_NUMBER)
        if department is not None:
            check.refer(
                row,
                "department_code",
                departments.name,
                department,
                UNKNOWN_DEPARTMENT.format(code=department),
            )
        if hired is not None and terminated is not None and terminated < hired:
            row.fail(
                "termination_date",
                TERMINATED_BEFORE_HIRED.format(termination=terminated, hire=hired),
            )
        if manager is not None and manager == number:
            row.fail("manager_number", OWN_MANAGER.format(number=number))
        old = table.existing.get(number) if number is not None else None
        if old is not None and is_someone_else(old, first, last, hired):
            row.fail(
                "employee_number",
                SOMEONE_ELSE.format(
                    number=number,
                    name=f"{old.first_name} {old.last_name}",
                    hired=old.hire_date,
                    new=f"{first} {last}",
                    new_hired=hired,
                ),
            )
        record = EmployeeRecord(
            number, first, last, email, department, site, shift, hired, terminated, manager
        )
        if check.add(table, row, number, record) and manager is not None:
            managed.append((row, number, manager))
    # Managers may be listed further down the sheet: resolve them once every row is filed.
    for row, number, manager in managed:
        if not check.refer(
            row, "manager_number", table.name, manager, UNKNOWN_EMPLOYEE.format(number=manager)
        ):
            table.incoming.pop(number, None)
            table.broken.add(number)


def is_someone_else(
    old: EmployeeRecord, first: str | None, last: str | None, hired: datetime.date | None
) -> bool:
    """A row whose name and hire date both differ from the record of its number describes
    another person: most likely a number from another system or a shifted row."""
    if first is None or last is None or hired is None:
        return False
    same_name = (first.casefold(), last.casefold()) == (
        old.first_name.casefold(),
        old.last_name.casefold(),
    )
    return not same_name and hired != old.hire_date


def check_skills(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(SKILLS.name)
    name_text = text_of(field_limit(Skill, "name"))
    for row in bound.rows():
        code = row.take("code", SKILL_CODE, required=True)
        name = row.take("name", name_text, required=True)
        department = row.take("department_code", DEPARTMENT_CODE)
        months = row.take("recert_months", as_recert_months)
        if department is not None:
            check.refer(
                row,
                "department_code",
                DEPARTMENTS.name,
                department,
                UNKNOWN_DEPARTMENT.format(code=department),
            )
        check.add(table, row, code, SkillRecord(code, name, department, months))


def check_signoffs(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(SIGNOFFS.name)
    today = check.today
    for row in bound.rows():
        number = row.take("employee_number", EMPLOYEE_NUMBER, required=True)
        skill = row.take("skill_code", SKILL_CODE, required=True)
        level = row.take("level", as_level, required=True)
        day = row.take("assessed_on", as_date, required=True)
        assessor = row.take("assessor_number", EMPLOYEE_NUMBER, required=True)
        evidence = row.take("evidence", as_text, default="")
        employee_known = check.refer(
            row, "employee_number", EMPLOYEES.name, number, UNKNOWN_EMPLOYEE.format(number=number)
        )
        check.refer(row, "skill_code", SKILLS.name, skill, UNKNOWN_SKILL.format(code=skill))
        assessor_known = check.refer(
            row,
            "assessor_number",
            EMPLOYEES.name,
            assessor,
            UNKNOWN_EMPLOYEE.format(number=assessor),
        )
        if day is not None:
            message = rules.check_not_future(day, today)
            if message:
                row.fail("assessed_on", message)
        if number is not None and assessor is not None:
            message = rules.check_assessor(number, assessor)
            if message:
                row.fail("assessor_number", message)
        if employee_known:
            check_employed(check, row, "employee_number", number, day)
        if assessor_known:
            check_employed(check, row, "assessor_number", assessor, day)
        if None in (number, skill, level, day):
            row.ok = False
            continue
        record = SignoffRecord(number, skill, level, day, assessor, evidence)
        key = (number, skill, day, level)
        check.check_unchanged(table, row, key, record, "sign-off")
        check.add(table, row, key, record)
