"""The buddies app's sheet of the organisation workbook: Pairings (spec, record type, loader and
validator; see skills/workbook.py).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

from buddies.models import BuddyPairing, leaver_end
from core.spreadsheets.checks import WorkbookCheck
from core.spreadsheets.reading import BoundSheet, Column, SheetSpec, Table, as_date
from skills.models import Department
from skills.workbook import (
    DEPARTMENTS,
    EMPLOYEE_NUMBER,
    EMPLOYEES,
    UNKNOWN_EMPLOYEE,
    check_employed,
)

PAIRED_WITH_SELF = "{number} cannot be their own buddy"
SEEKER_NOT_FRONT = "the seeker {number} is not in a front-office department"
BUDDY_NOT_BACK = "the buddy {number} is not in a back-office department"
PAIRING_ENDS_TOO_SOON = "ended_on {end} must be after started_on {start}"
SECOND_OPEN_PAIRING = "{number} already has an open pairing (with {buddy} from {start})"

PAIRINGS = SheetSpec(
    "Pairings",
    (
        Column("seeker_number", True),
        Column("buddy_number", True),
        Column("started_on", True),
        Column("ended_on"),
    ),
    key=("seeker_number", "buddy_number", "started_on"),
)


class PairingRecord(NamedTuple):
    seeker_number: str
    buddy_number: str
    started_on: datetime.date
    ended_on: datetime.date | None


def load_pairings(table: Table) -> None:
    for pk, *values in BuddyPairing.objects.values_list(
        "pk",
        "seeker__employee_number",
        "buddy__employee_number",
        "started_on",
        "ended_on",
    ):
        record = PairingRecord(*values)
        key = (record.seeker_number, record.buddy_number, record.started_on)
        table.existing[key] = record
        table.pks[key] = pk


LOADERS: dict[str, Callable[[Table], None]] = {PAIRINGS.name: load_pairings}


def check_pairings(bound: BoundSheet, check: WorkbookCheck) -> None:
    table = check.table(PAIRINGS.name)
    employees = check.table(EMPLOYEES.name)
    departments = check.table(DEPARTMENTS.name)

    def side_of(number: str) -> str | None:
        person = employees.get(number)
        department = departments.get(person.department_code) if person else None
        return department.side if department else None

    for row in bound.rows():
        seeker = row.take("seeker_number", EMPLOYEE_NUMBER, required=True)
        buddy = row.take("buddy_number", EMPLOYEE_NUMBER, required=True)
        started = row.take("started_on", as_date, required=True)
        ended = row.take("ended_on", as_date)
        seeker_known = check.refer(
            row, "seeker_number", EMPLOYEES.name, seeker, UNKNOWN_EMPLOYEE.format(number=seeker)
        )
        buddy_known = check.refer(
            row, "buddy_number", EMPLOYEES.name, buddy, UNKNOWN_EMPLOYEE.format(number=buddy)
        )
        if seeker is not None and seeker == buddy:
            row.fail("buddy_number", PAIRED_WITH_SELF.format(number=seeker))
        else:
            if seeker_known and side_of(seeker) not in (None, Department.Side.FRONT):
                row.fail("seeker_number", SEEKER_NOT_FRONT.format(number=seeker))
            if buddy_known and side_of(buddy) not in (None, Department.Side.BACK):
                row.fail("buddy_number", BUDDY_NOT_BACK.format(number=buddy))
        if started is not None and ended is not None and ended <= started:
            row.fail("ended_on", PAIRING_ENDS_TOO_SOON.format(end=ended, start=started))
        if seeker_known:
            check_employed(check, row, "seeker_number", seeker, started)
        if buddy_known:
            check_employed(check, row, "buddy_number", buddy, started)
        if None in (seeker, buddy, started):
            row.ok = False
            continue
        if ended is None:
            # An open pairing of someone who has left ends on their last day, as on the
            # pages, so importing it twice changes nothing.
            ended = leaver_end(
                started,
                *(p.termination_date for p in (employees.get(seeker), employees.get(buddy)) if p),
            )
        check.add(
            table, row, (seeker, buddy, started), PairingRecord(seeker, buddy, started, ended)
        )
    check_one_open_pairing(check)


def check_one_open_pairing(check: WorkbookCheck) -> None:
    """One open pairing per seeker, across the workbook and the database."""
    table = check.table(PAIRINGS.name)
    bound = check.bound.get(PAIRINGS.name)
    open_by_seeker: dict[str, list[tuple]] = defaultdict(list)
    for key, record in table.merged().items():
        if record.ended_on is None:
            open_by_seeker[record.seeker_number].append(key)
    for keys in open_by_seeker.values():
        if len(keys) < 2:
            continue
        # The database's pairing (or the highest one in the workbook) stays; the others are
        # reported at their rows.
        keys.sort(key=lambda k: table.rows.get(k, 0) if k in table.incoming else 0)
        first = keys[0]
        for key in keys[1:]:
            if key not in table.incoming:
                continue
            table.incoming.pop(key)
            table.broken.add(key)
            check.problem(
                SECOND_OPEN_PAIRING.format(number=key[0], buddy=first[1], start=first[2]),
                bound.location(table.rows[key], "ended_on"),
            )
