"""The certificates app's sheets of the organisation workbook: Tiers, Certifications, PayPeriods.

As skills/workbook.py and training/workbook.py do for theirs: each sheet's spec, record type,
loader of what the database holds and validator. Whether a new certification's employee was
eligible on its date needs every sheet's rows, so organisation/workbook.py judges the rows
`check_certifications` returns.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from certificates.models import Certification, PayPeriod, Tier, TierSkillRequirement
from certificates.pay import Period, period_clash
from core.spreadsheets.checks import WorkbookCheck, field_limit, text_of
from core.spreadsheets.reading import (
    BoundSheet,
    CellError,
    Column,
    SheetSpec,
    Table,
    as_date,
    as_decimal,
    as_int,
    as_list,
    as_text,
)
from skills import rules as skill_rules
from skills.workbook import (
    EMPLOYEE_NUMBER,
    EMPLOYEES,
    SKILL_CODE,
    SKILLS,
    UNKNOWN_EMPLOYEE,
    UNKNOWN_SKILL,
    as_level,
    check_employed,
)
from training.workbook import (
    MODULE_CODE,
    MODULES,
    UNKNOWN_MODULE,
)

UNKNOWN_TIER = "unknown tier {rank}"
RANK_INVALID = "rank must be a whole number of at least 1, not {value}"
AMOUNT_INVALID = "{column} must be at least 0, below 100000, with at most two decimals, not {value}"
COUNT_INVALID = "{column} must be a whole number of at least 0, not {value}"
REQUIRED_SKILL_FORMAT = "{item} is not CODE:LEVEL (for example DEESC:3)"
LISTED_TWICE = "{code} is listed twice"
CERTIFIED_BY_SELF = "{number} cannot certify themselves"
PERIOD_ENDS_BEFORE_START = "end {end} is before start {start}"
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
        Column("pay_code"),
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
    pay_code: str


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
    for pk, rank, name, money, hours, other_side, tenure, pay_code in Tier.objects.values_list(
        "pk",
        "rank",
        "name",
        "differential_per_hour",
        "min_cross_training_hours",
        "min_other_side_skills",
        "min_tenure_days",
        "pay_code",
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
            pay_code,
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
    pay_code_text = text_of(field_limit(Tier, "pay_code"))
    for row in bound.rows():
        rank = row.take("rank", as_rank, required=True)
        name = row.take("name", name_text, required=True)
        differential = row.take("differential_per_hour", money, required=True)
        min_hours = row.take("min_cross_training_hours", hours)
        min_other = row.take("min_other_side_skills", other_side)
        min_tenure = row.take("min_tenure_days", tenure)
        modules = row.take("required_modules", as_list, default=())
        skills = row.take("required_skills", as_required_skills, default=())
        pay_code = row.take("pay_code", pay_code_text, default="")
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
            pay_code,
        )
        check.add(table, row, rank, record)


def check_certifications(
    bound: BoundSheet, check: WorkbookCheck
) -> list[tuple[int, CertificationRecord]]:
    """Checks each row; returns the new rows without an override reason, (row, record), whose
    employee must still be found eligible on the date (by the caller, who has every sheet)."""
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
    return pending


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
        message = period_clash(Period(*previous), Period(*current))
        if message is None:
            continue
        culprit = current if current.start in table.incoming else previous
        if culprit.start not in table.incoming:
            continue
        table.incoming.pop(culprit.start)
        table.broken.add(culprit.start)
        check.problem(message, bound.location(table.rows[culprit.start], "start"))
