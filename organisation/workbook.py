"""The organisation workbook as a whole: every app's sheets checked in dependency order, and
the export.

`workbook_check` validates a read workbook against itself and the database (references resolve
to rows of the same workbook or to existing records; a certification needs the employee to be
eligible on its date, computed by certificates/eligibility.py over the workbook's rows merged
with the database's, unless an override reason is given). `workbook_sheets` gives the whole
organisation in the same format, for the export: the same loaders produce both sides, so an
exported workbook imports as "unchanged" row for row.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import column_index_from_string

from buddies import workbook as buddies_sheets
from buddies.workbook import PAIRINGS
from certificates import workbook as certificates_sheets
from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    evaluate_tiers,
    facts_by_person,
    not_eligible_message,
)
from certificates.workbook import (
    CERTIFICATIONS,
    PAY_PERIODS,
    TIERS,
    CertificationRecord,
)
from core.spreadsheets.checks import WorkbookCheck
from core.spreadsheets.reading import (
    UNKNOWN_SHEET,
    BoundSheet,
    Location,
    Problem,
    SheetSpec,
    Table,
    TooManyProblems,
    Workbook,
    normalise_header,
)
from core.spreadsheets.writing import SheetData
from skills import rules as skill_rules
from skills import workbook as skills_sheets
from skills.models import Signoff
from skills.rules import signoff_expires_on
from skills.workbook import (
    DEPARTMENTS,
    EMPLOYEES,
    SIGNOFFS,
    SKILLS,
    STILL_RECORDED,
)
from training import workbook as training_sheets
from training.workbook import ATTENDANCE, COMPLETIONS, MODULES, SESSIONS

UNKNOWN_SHEET_IN_ROSTER = (
    "a payroll roster is the Employees sheet alone: this sheet was not read and nothing in it "
    "is imported"
)
ROSTER_WITHOUT_EMPLOYEES = "a payroll roster needs an Employees sheet"
DUPLICATE_SHEET = "a second sheet named {name}; only one is allowed"
EMPTY_SHEET = "the sheet has no header row, ignored"
NO_SHEETS = "the workbook has none of the sheets {names}"
# After certificates.eligibility.NOT_ELIGIBLE, the way a historical record gets in anyway.
OVERRIDE_HINT = "; give an override_reason to import a historical certification anyway"

LOADERS: dict[str, Callable[[Table], None]] = {
    **skills_sheets.LOADERS,
    **training_sheets.LOADERS,
    **certificates_sheets.LOADERS,
    **buddies_sheets.LOADERS,
}


def check_eligibility(
    check: WorkbookCheck, bound: BoundSheet, pending: list[tuple[int, CertificationRecord]]
) -> None:
    """DOMAIN.md: a certification needs the employee eligible for the tier on its date."""
    table = check.table(CERTIFICATIONS.name)
    # Someone with a refused attendance, sign-off or completion row cannot be judged fairly:
    # that row is reported already, and the workbook is refused anyway.
    with_refused_rows = (
        {key[1] for key in check.table(ATTENDANCE.name).broken}
        | {key[0] for key in check.table(SIGNOFFS.name).broken}
        | {key[0] for key in check.table(COMPLETIONS.name).broken}
    )
    for _row, record in [item for item in pending if item[1].employee_number in with_refused_rows]:
        key = (record.employee_number, record.tier_rank, record.certified_on)
        table.incoming.pop(key, None)
        table.broken.add(key)
    pending = [item for item in pending if item[1].employee_number not in with_refused_rows]
    facts = employee_facts(check, {record.employee_number for _n, record in pending})
    tiers = tier_rules(check)
    sides = skill_sides(check)
    names = {tier.rank: tier.name for tier in tiers}
    for number, record in pending:
        person = facts.get(record.employee_number)
        if person is None:
            continue
        status = evaluate_tiers(person, tiers, sides, record.certified_on)
        if status.eligible_rank >= record.tier_rank:
            continue
        key = (record.employee_number, record.tier_rank, record.certified_on)
        table.incoming.pop(key, None)
        table.broken.add(key)
        check.problem(
            not_eligible_message(status, record.tier_rank, names) + OVERRIDE_HINT,
            bound.location(number, "tier_rank"),
        )


def check_certifications(bound: BoundSheet, check: WorkbookCheck) -> None:
    pending = certificates_sheets.check_certifications(bound, check)
    if pending:
        check_eligibility(check, bound, pending)


# --- Facts for eligibility, from the workbook merged over the database ---------------------------


def tier_rules(check: WorkbookCheck) -> list[TierRule]:
    # A TierRecord holds exactly a TierRule's fields, in its order.
    return [TierRule(*t) for t in sorted(check.table(TIERS.name).merged().values())]


def skill_sides(check: WorkbookCheck) -> dict[str, str | None]:
    departments = check.table(DEPARTMENTS.name)
    sides: dict[str, str | None] = {}
    for code, skill in check.table(SKILLS.name).merged().items():
        department = departments.get(skill.department_code) if skill.department_code else None
        sides[code] = department.side if department else None
    return sides


def employee_facts(check: WorkbookCheck, numbers: set[str]) -> dict[str, EmployeeFacts]:
    """The facts of each of `numbers`, from the workbook's rows merged over the database's."""
    employees = check.table(EMPLOYEES.name)
    departments = check.table(DEPARTMENTS.name)
    sessions = check.table(SESSIONS.name)
    skills = check.table(SKILLS.name)
    modules = check.table(MODULES.name)
    people = []
    for number in numbers:
        person = employees.get(number)
        department = departments.get(person.department_code) if person else None
        if person is not None and department is not None:
            home = person.department_code
            people.append(
                (number, number, home, department.side, person.hire_date, person.termination_date)
            )

    def expiry(code: str, day: datetime.date) -> datetime.date | None:
        skill = skills.get(code)
        return signoff_expires_on(day, skill.recert_months if skill else None)

    attendances = (
        (r.employee_number, AttendanceFact(session.date, session.host_department_code, r.hours))
        for r in _merged_values(check.table(ATTENDANCE.name))
        if r.employee_number in numbers and (session := sessions.get(r.session_ref)) is not None
    )
    signoffs = itertools.chain(
        (
            (
                r.employee_number,
                SignoffFact(
                    r.skill_code, r.level, r.assessed_on, expiry(r.skill_code, r.assessed_on)
                ),
            )
            for r in _merged_values(check.table(SIGNOFFS.name))
            if r.employee_number in numbers
            for expires in (expiry(r.skill_code, r.assessed_on),)
        ),
        # Revoked sign-offs still count until the day they were revoked.
        (
            (number, SignoffFact(code, level, day, expiry(code, day), revoked))
            for number, code, level, day, revoked in Signoff.objects.filter(
                revoked_on__isnull=False
            ).values_list(
                "employee__employee_number", "skill__code", "level", "assessed_on", "revoked_on"
            )
            if number in numbers
        ),
    )
    completions = (
        (
            r.employee_number,
            CompletionFact(r.module_code, r.completed_on, r.score, module.pass_mark),
        )
        for r in _merged_values(check.table(COMPLETIONS.name))
        if r.employee_number in numbers and (module := modules.get(r.module_code)) is not None
        for mark in (module.pass_mark,)
    )
    return facts_by_person(people, attendances, signoffs, completions)


def _merged_values(table: Table) -> Iterable[tuple]:
    """Every record, the workbook's version where both have it, without copying the tables."""
    yield from table.incoming.values()
    incoming = table.incoming
    for key, record in table.existing.items():
        if key not in incoming:
            yield record


# --- Existing records that a changed hire or termination date would leave outside employment -----


@dataclass(frozen=True)
class DatedRecords:
    """Where a sheet's records name people and a date, and what each person did in it."""

    sheet: str
    people: tuple[tuple[str, Callable[[Any], str]], ...]  # (column, what that person did)
    day: Callable[[Any, WorkbookCheck], datetime.date | None]


DATED_RECORDS: tuple[DatedRecords, ...] = (
    DatedRecords(
        SESSIONS.name,
        (("trainer_number", lambda r: f"trained session {r.session_ref}"),),
        lambda r, c: r.date,
    ),
    DatedRecords(
        ATTENDANCE.name,
        (("employee_number", lambda r: f"attended session {r.session_ref}"),),
        lambda r, c: getattr(c.table(SESSIONS.name).get(r.session_ref), "date", None),
    ),
    DatedRecords(
        SIGNOFFS.name,
        (
            ("employee_number", lambda r: f"was signed off on {r.skill_code}"),
            ("assessor_number", lambda r: f"signed off {r.employee_number} on {r.skill_code}"),
        ),
        lambda r, c: r.assessed_on,
    ),
    DatedRecords(
        COMPLETIONS.name,
        (("employee_number", lambda r: f"completed {r.module_code}"),),
        lambda r, c: r.completed_on,
    ),
    DatedRecords(
        CERTIFICATIONS.name,
        (
            ("employee_number", lambda r: f"was certified at tier {r.tier_rank}"),
            (
                "certified_by_number",
                lambda r: f"certified {r.employee_number} at tier {r.tier_rank}",
            ),
        ),
        lambda r, c: r.certified_on,
    ),
    DatedRecords(
        PAIRINGS.name,
        (
            ("seeker_number", lambda r: f"was paired with the buddy {r.buddy_number}"),
            ("buddy_number", lambda r: f"became the buddy of {r.seeker_number}"),
        ),
        lambda r, c: r.started_on,
    ),
)


def check_people_still_active(check: WorkbookCheck) -> None:
    """A roster that moves a hire or termination date must not strand existing records."""
    employees = check.tables.get(EMPLOYEES.name)
    if employees is None or not employees.incoming:
        return
    changed = {
        number: record
        for number, record in employees.incoming.items()
        if (old := employees.existing.get(number)) is not None
        and (old.hire_date, old.termination_date) != (record.hire_date, record.termination_date)
    }
    if not changed:
        return
    found: dict[str, tuple[str, datetime.date]] = {}
    for dated in DATED_RECORDS:
        table = check.table(dated.sheet)
        for key, record in table.existing.items():
            if key in table.incoming:
                continue  # the workbook's own row was checked against the new dates
            for column, describe in dated.people:
                number = getattr(record, column)
                person = changed.get(number)
                if person is None or number in found:
                    continue
                day = dated.day(record, check)
                if day is not None and not skill_rules.is_active_on(
                    person.hire_date, person.termination_date, day
                ):
                    found[number] = (describe(record), day)
    bound = check.bound[EMPLOYEES.name]
    for number, (what, day) in found.items():
        person = changed[number]
        column = "hire_date" if day < person.hire_date else "termination_date"
        employees.incoming.pop(number)
        employees.broken.add(number)
        check.problem(
            STILL_RECORDED.format(number=number, what=what, day=day),
            bound.location(employees.rows[number], column),
        )


# --- The orchestrator ----------------------------------------------------------------------

Validator = Callable[[BoundSheet, WorkbookCheck], None]

# Every sheet in dependency order: a sheet refers only to sheets above it.
SHEETS: tuple[tuple[SheetSpec, Validator], ...] = (
    (DEPARTMENTS, skills_sheets.check_departments),
    (EMPLOYEES, skills_sheets.check_employees),
    (SKILLS, skills_sheets.check_skills),
    (MODULES, training_sheets.check_modules),
    (TIERS, certificates_sheets.check_tiers),
    (SESSIONS, training_sheets.check_sessions),
    (ATTENDANCE, training_sheets.check_attendance),
    (SIGNOFFS, skills_sheets.check_signoffs),
    (COMPLETIONS, training_sheets.check_completions),
    (CERTIFICATIONS, check_certifications),
    (PAIRINGS, buddies_sheets.check_pairings),
    (PAY_PERIODS, certificates_sheets.check_pay_periods),
)
SPECS: dict[str, SheetSpec] = {spec.name: spec for spec, _validator in SHEETS}
SHEET_ORDER = {spec.name: position for position, (spec, _v) in enumerate(SHEETS)}


class Kind:
    WORKBOOK = "workbook"  # the whole organisation, every sheet optional
    ROSTER = "roster"  # payroll's roster: the Employees sheet alone


def sheets_for(kind: str) -> set[str]:
    """Normalised titles of the sheets an import of `kind` reads."""
    if kind == Kind.ROSTER:
        return {normalise_header(EMPLOYEES.name)}
    return {normalise_header(name) for name in SPECS}


def workbook_check(
    book: Workbook, *, kind: str, today: datetime.date, blank_clears: bool = False
) -> WorkbookCheck:
    """Checks every sheet of `book`; the result's report lists problems and warnings.

    A blank cell keeps an existing record's value unless `blank_clears`.
    """
    check = WorkbookCheck(today=today, loaders=LOADERS, blank_clears=blank_clears)
    report = check.report
    try:
        _check_sheets(book, check, kind)
        stopped = False
    except TooManyProblems:
        stopped = True
    report.problems.sort(key=problem_order)
    if stopped:
        report.problems.stopped()
    return check


def _check_sheets(book: Workbook, check: WorkbookCheck, kind: str) -> None:
    report = check.report
    wanted = sheets_for(kind)
    by_title = {normalise_header(name): spec for name, spec in SPECS.items()}
    for sheet in book.sheets:
        title = normalise_header(sheet.title)
        spec = by_title.get(title)
        if spec is None:
            report.warnings.append(Problem(UNKNOWN_SHEET, Location(sheet.title)))
            continue
        if title not in wanted:
            report.warnings.append(Problem(UNKNOWN_SHEET_IN_ROSTER, Location(sheet.title)))
            continue
        if spec.name in check.bound:
            report.problems.append(
                Problem(DUPLICATE_SHEET.format(name=spec.name), Location(sheet.title))
            )
            continue
        if not sheet.headers:
            report.warnings.append(Problem(EMPTY_SHEET, Location(sheet.title)))
            continue
        check.bound[spec.name] = BoundSheet(sheet, spec, report)
    if kind == Kind.ROSTER and EMPLOYEES.name not in check.bound and not report.problems:
        report.problems.append(Problem(ROSTER_WITHOUT_EMPLOYEES))
    elif not check.bound and not report.problems:
        report.problems.append(Problem(NO_SHEETS.format(names=", ".join(SPECS))))
    for spec, validator in SHEETS:
        bound = check.bound.get(spec.name)
        if bound is None or not bound.usable:
            continue
        check.table(spec.name).present = True
        validator(bound, check)
    if SESSIONS.name in check.tables:
        training_sheets.check_sessions_still_fit(check)
    check_people_still_active(check)


def problem_order(problem: Problem) -> tuple:
    """Problems read in the workbook's order: sheet by sheet, row by row, left to right."""
    location = problem.location
    if location is None:
        return (-1, 0, 0)
    column = column_index_from_string(location.column) if location.column else 0
    return (SHEET_ORDER.get(_spec_name(location.sheet), 99), location.row or 0, column)


def _spec_name(title: str) -> str:
    wanted = normalise_header(title)
    return next((name for name in SPECS if normalise_header(name) == wanted), title)


@dataclass(frozen=True)
class SheetCount:
    sheet: str
    created: int
    updated: int
    unchanged: int


def workbook_summary(check: WorkbookCheck) -> list[SheetCount]:
    """Per sheet the workbook had: rows it would create, update and leave unchanged."""
    counts = []
    for spec, _validator in SHEETS:
        table = check.tables.get(spec.name)
        if table is None or not table.present:
            continue
        counts.append(SheetCount(spec.name, *table.counts()))
    return counts


@dataclass(frozen=True)
class Change:
    """One value of an existing record that the import would change, as the preview lists it.

    `cleared`: a value would become blank; `terminated`: a person would get a termination date.
    """

    sheet: str
    row: int
    record: str  # the record's key as shown, and the person's name for people
    column: str
    before: str
    after: str
    cleared: bool = False
    terminated: bool = False


def shown(value: Any) -> str:
    if value is None or value == "" or value == ():
        return ""
    return str(export_value(value))


def workbook_changes(check: WorkbookCheck) -> list[Change]:
    """Every value of an existing record that the import would change, sheet by sheet in the
    order of the import and row by row."""
    changes = []
    for spec, _validator in SHEETS:
        table = check.tables.get(spec.name)
        if table is None or not table.present:
            continue
        for key in sorted(table.updated(), key=lambda k: table.rows.get(k, 0)):
            old, new = table.existing[key], table.incoming[key]
            record = shown(key) if not isinstance(key, tuple) else " / ".join(map(shown, key))
            if spec is EMPLOYEES:
                record = f"{record} {new.first_name} {new.last_name}"
            for column, before, after in zip(new._fields, old, new, strict=True):
                if before == after:
                    continue
                before_text, after_text = shown(before), shown(after)
                changes.append(
                    Change(
                        spec.name,
                        table.rows.get(key, 0),
                        record,
                        column,
                        before_text,
                        after_text,
                        cleared=bool(before_text) and not after_text,
                        terminated=spec is EMPLOYEES
                        and column == "termination_date"
                        and before is None,
                    )
                )
    return changes


# --- Export --------------------------------------------------------------------------------


def export_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ",".join(
            f"{item[0]}:{item[1]}" if isinstance(item, tuple) else item for item in value
        )
    return value


DECIMAL_COLUMNS = {"duration_hours", "hours", "differential_per_hour", "min_cross_training_hours"}


def workbook_sheets(only: Iterable[str] | None = None) -> list[SheetData]:
    """The whole organisation in the workbook's format, rows sorted by natural key (`only`:
    just the sheets of these names, such as the Employees sheet for payroll's roster).

    Revoked sign-offs and certifications are left out: the workbook has no columns for a
    revocation, and importing them would record them anew as valid.
    """
    sheets = []
    for spec, _validator in SHEETS:
        if only is not None and spec.name not in only:
            continue
        table = Table(spec.name)
        LOADERS[spec.name](table)
        records = [table.existing[key] for key in sorted(table.existing)]
        decimals = [i for i, name in enumerate(spec.headers) if name in DECIMAL_COLUMNS]
        sheets.append(
            SheetData(
                spec.name,
                spec.headers,
                ([export_value(value) for value in record] for record in records),
                number_formats=dict.fromkeys(decimals, "0.00"),
            )
        )
    return sheets
