"""The organisation workbook as a whole: the certificates app's sheets (Tiers, Certifications,
PayPeriods) and the orchestrator that checks every sheet in dependency order.

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
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from openpyxl.utils import column_index_from_string

from certificates.eligibility import (
    AttendanceFact,
    CompletionFact,
    EmployeeFacts,
    SignoffFact,
    TierRule,
    evaluate_tiers,
)
from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from core.spreadsheets.checks import WorkbookCheck, field_limit, text_of
from core.spreadsheets.reading import (
    UNKNOWN_SHEET,
    BoundSheet,
    CellError,
    Column,
    Location,
    Problem,
    SheetSpec,
    Table,
    Workbook,
    as_date,
    as_decimal,
    as_int,
    as_list,
    as_text,
    normalise_header,
)
from core.spreadsheets.writing import SheetData
from skills import rules as skill_rules
from skills import workbook as skills_sheets
from skills.models import Signoff
from skills.workbook import (
    DEPARTMENTS,
    EMPLOYEE_NUMBER,
    EMPLOYEES,
    SIGNOFFS,
    SKILL_CODE,
    SKILLS,
    STILL_RECORDED,
    UNKNOWN_EMPLOYEE,
    UNKNOWN_SKILL,
    as_level,
    check_employed,
)
from training import workbook as training_sheets
from training.workbook import (
    ATTENDANCE,
    COMPLETIONS,
    MODULE_CODE,
    MODULES,
    PAIRINGS,
    SESSIONS,
    UNKNOWN_MODULE,
)

UNKNOWN_TIER = "unknown tier {rank}"
UNKNOWN_SHEET_IN_ROSTER = (
    "a payroll roster is the Employees sheet alone: this sheet was not read and nothing in it "
    "is imported"
)
ROSTER_WITHOUT_EMPLOYEES = "a payroll roster needs an Employees sheet"
DUPLICATE_SHEET = "a second sheet named {name}; only one is allowed"
EMPTY_SHEET = "the sheet has no header row, ignored"
NO_SHEETS = "the workbook has none of the sheets {names}"
RANK_INVALID = "rank must be a whole number of at least 1, not {value}"
AMOUNT_INVALID = "{column} must be at least 0, below 100000, with at most two decimals, not {value}"
COUNT_INVALID = "{column} must be a whole number of at least 0, not {value}"
REQUIRED_SKILL_FORMAT = "{item} is not CODE:LEVEL (for example DEESC:3)"
LISTED_TWICE = "{code} is listed twice"
CERTIFIED_BY_SELF = "{number} cannot certify themselves"
NOT_ELIGIBLE = (
    "{number} was not eligible for {tier} on {day} ({reason}); give an override_reason to "
    "import a historical certification anyway"
)
PERIOD_ENDS_BEFORE_START = "end {end} is before start {start}"
PERIOD_OVERLAPS = "the period {start} – {end} overlaps the period {other_start} – {other_end}"
PERIOD_GAP = (
    "pay periods are contiguous, but {previous_end} ends one period and the next starts on {start}"
)
PERIOD_CLOSED = "the period starting {start} is closed; its end ({end}) cannot change"

TIERS = SheetSpec(
    "Tiers",
    (
        Column("rank", True),
        Column("name", True),
        Column("differential_per_hour", True),
        Column("min_cross_training_hours"),
        Column("min_other_side_skills"),
        Column("min_tenure_days"),
        Column("required_modules"),
        Column("required_skills"),
    ),
    key=("rank",),
)
CERTIFICATIONS = SheetSpec(
    "Certifications",
    (
        Column("employee_number", True),
        Column("tier_rank", True),
        Column("certified_on", True),
        Column("certified_by_number", True),
        Column("override_reason"),
    ),
    key=("employee_number", "tier_rank", "certified_on"),
)
PAY_PERIODS = SheetSpec("PayPeriods", (Column("start", True), Column("end", True)), key=("start",))


class TierRecord(NamedTuple):
    rank: int
    name: str
    differential_per_hour: Decimal
    min_cross_training_hours: Decimal | None
    min_other_side_skills: int | None
    min_tenure_days: int | None
    required_modules: tuple[str, ...]  # sorted codes
    required_skills: tuple[tuple[str, int], ...]  # sorted (code, minimum level)


class CertificationRecord(NamedTuple):
    employee_number: str
    tier_rank: int
    certified_on: datetime.date
    certified_by_number: str
    override_reason: str


class PayPeriodRecord(NamedTuple):
    start: datetime.date
    end: datetime.date


# --- Converters ---------------------------------------------------------------------------------


def as_rank(value: Any) -> int:
    rank = as_int(value)
    if rank < 1 or rank > 32767:
        raise CellError(RANK_INVALID.format(value=rank))
    return rank


def amount(column: str) -> Callable[[Any], Decimal]:
    """Money or hours as the models keep them: 0 <= value < 100000, two decimals at most."""

    def convert(value: Any) -> Decimal:
        number = as_decimal(value)
        if number < 0 or number >= 100000 or number != number.quantize(Decimal("0.01")):
            raise CellError(AMOUNT_INVALID.format(column=column, value=number))
        return number

    return convert


def count(column: str, maximum: int) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        number = as_int(value)
        if number < 0 or number > maximum:
            raise CellError(COUNT_INVALID.format(column=column, value=number))
        return number

    return convert


def as_required_skills(value: Any) -> tuple[tuple[str, int], ...]:
    pairs: dict[str, int] = {}
    for item in as_list(value):
        code, sep, level_text = item.rpartition(":")
        code = code.strip()
        if not sep or not code:
            raise CellError(REQUIRED_SKILL_FORMAT.format(item=item))
        try:
            level = as_level(level_text)
            SKILL_CODE(code)
        except CellError as error:
            raise CellError(f"{item}: {error.message}") from None
        if code in pairs:
            raise CellError(LISTED_TWICE.format(code=code))
        pairs[code] = level
    return tuple(sorted(pairs.items()))


# --- Loaders -------------------------------------------------------------------------------------


def load_tiers(table: Table) -> None:
    modules: dict[int, list[str]] = defaultdict(list)
    for tier_id, code in Tier.required_modules.through.objects.values_list(
        "tier_id", "workflowmodule__code"
    ):
        modules[tier_id].append(code)
    skills: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for tier_id, code, level in TierSkillRequirement.objects.values_list(
        "tier_id", "skill__code", "min_level"
    ):
        skills[tier_id].append((code, level))
    for pk, rank, name, money, hours, other_side, tenure in Tier.objects.values_list(
        "pk",
        "rank",
        "name",
        "differential_per_hour",
        "min_cross_training_hours",
        "min_other_side_skills",
        "min_tenure_days",
    ):
        table.existing[rank] = TierRecord(
            rank,
            name,
            money,
            hours,
            other_side,
            tenure,
            tuple(sorted(modules.get(pk, ()))),
            tuple(sorted(skills.get(pk, ()))),
        )
        table.pks[rank] = pk


def load_certifications(table: Table) -> None:
    """Certifications that are not revoked: only those match a workbook row."""
    for pk, *values in Certification.objects.filter(revoked_on__isnull=True).values_list(
        "pk",
        "employee__employee_number",
        "tier__rank",
        "certified_on",
        "certified_by__employee_number",
        "override_reason",
    ):
        record = CertificationRecord(*values)
        key = (record.employee_number, record.tier_rank, record.certified_on)
        table.existing[key] = record
        table.pks[key] = pk


def load_pay_periods(table: Table) -> None:
    for pk, start, end in PayPeriod.objects.values_list("pk", "start", "end"):
        table.existing[start] = PayPeriodRecord(start, end)
        table.pks[start] = pk


LOADERS: dict[str, Callable[[Table], None]] = {
    **skills_sheets.LOADERS,
    **training_sheets.LOADERS,
    TIERS.name: load_tiers,
    CERTIFICATIONS.name: load_certifications,
    PAY_PERIODS.name: load_pay_periods,
}


# --- Validators --------------------------------------------------------------------------------


def check_tiers(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(TIERS.name)
    name_text = text_of(field_limit(Tier, "name"))
    money = amount("differential_per_hour")
    hours = amount("min_cross_training_hours")
    other_side = count("min_other_side_skills", 32767)
    tenure = count("min_tenure_days", 2147483647)
    for row in bound.rows():
        rank = row.take("rank", as_rank, required=True)
        name = row.take("name", name_text, required=True)
        differential = row.take("differential_per_hour", money, required=True)
        min_hours = row.take("min_cross_training_hours", hours)
        min_other = row.take("min_other_side_skills", other_side)
        min_tenure = row.take("min_tenure_days", tenure)
        modules = row.take("required_modules", as_list, default=())
        skills = row.take("required_skills", as_required_skills, default=())
        for code in modules:
            try:
                MODULE_CODE(code)
            except CellError as error:
                row.fail("required_modules", error.message)
                continue
            check.refer(
                row, "required_modules", MODULES.name, code, UNKNOWN_MODULE.format(code=code)
            )
        if len(set(modules)) != len(modules):
            twice = next(code for code in modules if modules.count(code) > 1)
            row.fail("required_modules", LISTED_TWICE.format(code=twice))
        for code, _level in skills:
            check.refer(row, "required_skills", SKILLS.name, code, UNKNOWN_SKILL.format(code=code))
        record = TierRecord(
            rank,
            name,
            differential,
            min_hours,
            min_other,
            min_tenure,
            tuple(sorted(set(modules))),
            skills,
        )
        check.add(table, row, rank, record)


def check_certifications(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(CERTIFICATIONS.name)
    tiers = check.table(TIERS.name)
    today = check.today
    pending: list[tuple[int, CertificationRecord]] = []
    for row in bound.rows():
        number = row.take("employee_number", EMPLOYEE_NUMBER, required=True)
        rank = row.take("tier_rank", as_rank, required=True)
        day = row.take("certified_on", as_date, required=True)
        certifier = row.take("certified_by_number", EMPLOYEE_NUMBER, required=True)
        reason = row.take("override_reason", as_text, default="")
        employee_known = check.refer(
            row, "employee_number", EMPLOYEES.name, number, UNKNOWN_EMPLOYEE.format(number=number)
        )
        tier_known = check.refer(row, "tier_rank", tiers.name, rank, UNKNOWN_TIER.format(rank=rank))
        certifier_known = check.refer(
            row,
            "certified_by_number",
            EMPLOYEES.name,
            certifier,
            UNKNOWN_EMPLOYEE.format(number=certifier),
        )
        if day is not None:
            message = skill_rules.check_not_future(day, today)
            if message:
                row.fail("certified_on", message)
        if number is not None and number == certifier:
            row.fail("certified_by_number", CERTIFIED_BY_SELF.format(number=number))
        if employee_known:
            check_employed(check, row, "employee_number", number, day)
        if certifier_known:
            check_employed(check, row, "certified_by_number", certifier, day)
        if None in (number, rank, day):
            row.ok = False
            continue
        key = (number, rank, day)
        record = CertificationRecord(number, rank, day, certifier, reason)
        check.check_unchanged(table, row, key, record, "certification")
        added = check.add(table, row, key, record)
        if added and tier_known and not reason and key not in table.existing:
            pending.append((row.number, record))
    if pending:
        check_eligibility(check, bound, pending)


def check_eligibility(
    check: WorkbookCheck, bound: BoundSheet, pending: list[tuple[int, CertificationRecord]]
) -> None:
    """DOMAIN.md: a certification needs the employee eligible for the tier on its date."""
    table = check.table(CERTIFICATIONS.name)
    # Someone with a refused attendance, sign-off or completion row cannot be judged fairly:
    # that row is reported already, and the workbook is refused anyway.
    shaky = (
        {key[1] for key in check.table(ATTENDANCE.name).broken}
        | {key[0] for key in check.table(SIGNOFFS.name).broken}
        | {key[0] for key in check.table(COMPLETIONS.name).broken}
    )
    for _row, record in [item for item in pending if item[1].employee_number in shaky]:
        key = (record.employee_number, record.tier_rank, record.certified_on)
        table.incoming.pop(key, None)
        table.broken.add(key)
    pending = [item for item in pending if item[1].employee_number not in shaky]
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
        target = names.get(record.tier_rank, f"tier {record.tier_rank}")
        gaps = "; ".join(status.next_tier_gaps) or "requirements not met"
        if status.next_tier is not None and status.next_tier.rank != record.tier_rank:
            eligible = names.get(status.eligible_rank, "no tier")
            reason = f"eligible for {eligible} only; {status.next_tier.name} lacks: {gaps}"
        else:
            reason = gaps
        key = (record.employee_number, record.tier_rank, record.certified_on)
        table.incoming.pop(key, None)
        table.broken.add(key)
        check.problem(
            NOT_ELIGIBLE.format(
                number=record.employee_number, tier=target, day=record.certified_on, reason=reason
            ),
            bound.location(number, "tier_rank"),
        )


def check_pay_periods(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(PAY_PERIODS.name)
    closed = set(PayPeriod.objects.filter(closed_at__isnull=False).values_list("start", flat=True))
    for row in bound.rows():
        start = row.take("start", as_date, required=True)
        end = row.take("end", as_date, required=True)
        if start is not None and end is not None:
            if end < start:
                row.fail("end", PERIOD_ENDS_BEFORE_START.format(end=end, start=start))
            elif start in closed and table.existing[start].end != end:
                row.fail("end", PERIOD_CLOSED.format(start=start, end=table.existing[start].end))
        check.add(table, row, start, PayPeriodRecord(start, end))
    periods = sorted(table.merged().values())
    for previous, current in itertools.pairwise(periods):
        if current.start == previous.end + datetime.timedelta(days=1):
            continue
        if current.start <= previous.end:
            message = PERIOD_OVERLAPS.format(
                start=current.start,
                end=current.end,
                other_start=previous.start,
                other_end=previous.end,
            )
        else:
            message = PERIOD_GAP.format(previous_end=previous.end, start=current.start)
        culprit = current if current.start in table.incoming else previous
        if culprit.start not in table.incoming:
            continue
        table.incoming.pop(culprit.start)
        table.broken.add(culprit.start)
        check.problem(message, bound.location(table.rows[culprit.start], "start"))


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
    employees = check.table(EMPLOYEES.name)
    departments = check.table(DEPARTMENTS.name)
    sessions = check.table(SESSIONS.name)
    skills = check.table(SKILLS.name)
    modules = check.table(MODULES.name)
    attendances: dict[str, list[AttendanceFact]] = defaultdict(list)
    for record in _merged_values(check.table(ATTENDANCE.name)):
        if record.employee_number in numbers:
            session = sessions.get(record.session_ref)
            if session is not None:
                attendances[record.employee_number].append(
                    AttendanceFact(session.date, session.host_department_code, record.hours)
                )
    signoffs: dict[str, list[SignoffFact]] = defaultdict(list)

    def expiry(code: str, day: datetime.date) -> datetime.date | None:
        skill = skills.get(code)
        months = skill.recert_months if skill else None
        return skill_rules.add_months(day, months) if months else None

    for record in _merged_values(check.table(SIGNOFFS.name)):
        if record.employee_number in numbers:
            signoffs[record.employee_number].append(
                SignoffFact(
                    record.skill_code,
                    record.level,
                    record.assessed_on,
                    expiry(record.skill_code, record.assessed_on),
                )
            )
    # Revoked sign-offs still count until the day they were revoked.
    for number, code, level, day, revoked in Signoff.objects.filter(
        revoked_on__isnull=False
    ).values_list("employee__employee_number", "skill__code", "level", "assessed_on", "revoked_on"):
        if number in numbers:
            signoffs[number].append(SignoffFact(code, level, day, expiry(code, day), revoked))
    completions: dict[str, list[CompletionFact]] = defaultdict(list)
    for record in _merged_values(check.table(COMPLETIONS.name)):
        if record.employee_number in numbers:
            module = modules.get(record.module_code)
            if module is not None:
                completions[record.employee_number].append(
                    CompletionFact(
                        record.module_code, record.completed_on, record.score, module.pass_mark
                    )
                )
    facts: dict[str, EmployeeFacts] = {}
    for number in numbers:
        person = employees.get(number)
        department = departments.get(person.department_code) if person else None
        if person is None or department is None:
            continue
        facts[number] = EmployeeFacts(
            employee_number=number,
            home_department=person.department_code,
            side=department.side,
            hire_date=person.hire_date,
            termination_date=person.termination_date,
            attendances=tuple(attendances.get(number, ())),
            signoffs=tuple(signoffs.get(number, ())),
            completions=tuple(completions.get(number, ())),
        )
    return facts


def _merged_values(table: Table) -> Iterable[tuple]:
    """Every record, the workbook's version where both have it, without copying the tables."""
    yield from table.incoming.values()
    incoming = table.incoming
    for key, record in table.existing.items():
        if key not in incoming:
            yield record


# --- Existing records that a changed hire or termination date would leave outside employment -----


@dataclass(frozen=True)
class Dated:
    """Where a sheet's records name people and a date, and what each person did in it."""

    sheet: str
    people: tuple[tuple[str, Callable[[Any], str]], ...]  # (column, what that person did)
    day: Callable[[Any, WorkbookCheck], datetime.date | None]


DATED: tuple[Dated, ...] = (
    Dated(
        SESSIONS.name,
        (("trainer_number", lambda r: f"trained session {r.session_ref}"),),
        lambda r, c: r.date,
    ),
    Dated(
        ATTENDANCE.name,
        (("employee_number", lambda r: f"attended session {r.session_ref}"),),
        lambda r, c: getattr(c.table(SESSIONS.name).get(r.session_ref), "date", None),
    ),
    Dated(
        SIGNOFFS.name,
        (
            ("employee_number", lambda r: f"was signed off on {r.skill_code}"),
            ("assessor_number", lambda r: f"signed off {r.employee_number} on {r.skill_code}"),
        ),
        lambda r, c: r.assessed_on,
    ),
    Dated(
        COMPLETIONS.name,
        (("employee_number", lambda r: f"completed {r.module_code}"),),
        lambda r, c: r.completed_on,
    ),
    Dated(
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
    Dated(
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
    for dated in DATED:
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
    (TIERS, check_tiers),
    (SESSIONS, training_sheets.check_sessions),
    (ATTENDANCE, training_sheets.check_attendance),
    (SIGNOFFS, skills_sheets.check_signoffs),
    (COMPLETIONS, training_sheets.check_completions),
    (CERTIFICATIONS, check_certifications),
    (PAIRINGS, training_sheets.check_pairings),
    (PAY_PERIODS, check_pay_periods),
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


def workbook_check(book: Workbook, *, kind: str, today: datetime.date) -> WorkbookCheck:
    """Checks every sheet of `book`; the result's report lists problems and warnings."""
    check = WorkbookCheck(today=today, loaders=LOADERS)
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
    report.problems.sort(key=problem_order)
    return check


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


def workbook_sheets() -> list[SheetData]:
    """The whole organisation in the workbook's format, rows sorted by natural key.

    Revoked sign-offs and certifications are left out: the workbook has no columns for a
    revocation, and importing them would record them anew as valid.
    """
    sheets = []
    for spec, _validator in SHEETS:
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
                widths={i: max(12, len(name) + 2) for i, name in enumerate(spec.headers)},
            )
        )
    return sheets
