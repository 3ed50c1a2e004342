"""Helpers for the workbook tests (no tests here): build .xlsx bytes in the test, check them.

`org()` is a small consistent organisation as workbook rows; a test copies it, changes the
cells it is about and asserts the exact problem lines.
"""

import copy
import datetime
import io
from pathlib import Path

from core.spreadsheets.reading import Limits, read_workbook
from core.spreadsheets.writing import SheetData, write_workbook
from organisation.workbook import Kind, workbook_check

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "samples" / "organisation-sample.xlsx"
TODAY = datetime.date(2026, 1, 15)
LIMITS = Limits(
    max_bytes=5 * 1024 * 1024,
    max_uncompressed_bytes=50 * 1024 * 1024,
    max_entries=200,
    max_rows=10_000,
)
D = datetime.date

HEADERS = {
    "Departments": ["code", "name", "side", "site"],
    "Employees": [
        "employee_number",
        "first_name",
        "last_name",
        "email",
        "department_code",
        "site",
        "shift",
        "hire_date",
        "termination_date",
        "manager_number",
    ],
    "Skills": ["code", "name", "department_code", "recert_months"],
    "Modules": [
        "code",
        "title",
        "version",
        "owner_number",
        "last_reviewed_on",
        "pass_mark",
        "new_hire",
        "new_hire_days",
    ],
    "Tiers": [
        "rank",
        "name",
        "differential_per_hour",
        "min_cross_training_hours",
        "min_other_side_skills",
        "min_tenure_days",
        "required_modules",
        "required_skills",
        "pay_code",
    ],
    "Sessions": [
        "session_ref",
        "date",
        "host_department_code",
        "kind",
        "trainer_number",
        "duration_hours",
        "skills",
        "notes",
    ],
    "Attendance": ["session_ref", "employee_number", "hours"],
    "Signoffs": [
        "employee_number",
        "skill_code",
        "level",
        "assessed_on",
        "assessor_number",
        "evidence",
    ],
    "Completions": ["employee_number", "module_code", "completed_on", "score", "version"],
    "Certifications": [
        "employee_number",
        "tier_rank",
        "certified_on",
        "certified_by_number",
        "override_reason",
    ],
    "Pairings": ["seeker_number", "buddy_number", "started_on", "ended_on"],
    "PayPeriods": ["start", "end"],
}

ORG = {
    "Departments": [
        ["CC-GEN", "Contact Centre", "front", "Leeds"],
        ["BO-BILL", "Billing", "back", "Leeds"],
    ],
    "Employees": [
        ["E100", "Ana", "Silva", "e100@x.test", "BO-BILL", "", "day", D(2020, 1, 6), None, None],
        ["E101", "Zoë", "Ødegård", "", "CC-GEN", "Cork", "evening", "2021-03-01", None, "E100"],
        ["E102", "Łukasz", "Nowak", "", "CC-GEN", None, None, D(2022, 5, 2), None, "E101"],
        [
            "E103",
            "Kwame",
            "Mensa",
            "",
            "BO-BILL",
            "",
            "night",
            D(2023, 1, 9),
            D(2025, 12, 31),
            None,
        ],
    ],
    "Skills": [
        ["DEESC", "De-escalation", None, 24],
        ["BILL-DISP", "Billing disputes", "BO-BILL", 12],
        ["CC-CALL", "Call handling", "CC-GEN", None],
    ],
    "Modules": [
        ["WF-101", "Where work comes from", 3, "E100", D(2025, 9, 1), None, "yes", None],
    ],
    "Tiers": [
        [1, "Tier I", 0.5, 2, None, 90, "WF-101", None, "XT1"],
        [2, "Tier II", 1.25, 4, 1, 180, "WF-101", "DEESC:3", "XT2"],
    ],
    "Sessions": [
        ["S-1", D(2025, 3, 4), "BO-BILL", "classroom", "E100", 2, "BILL-DISP", None],
        ["S-2", "2025-04-01", "BO-BILL", "shadowing", "E103", 3.5, None, "busy day"],
    ],
    "Attendance": [
        ["S-1", "E101", None],
        ["S-1", "E102", 1.5],
        ["S-2", "E101", 3.5],
    ],
    "Signoffs": [
        ["E101", "BILL-DISP", 3, D(2025, 4, 2), "E100", "observed"],
        ["E101", "DEESC", 3, D(2025, 4, 2), "E100", ""],
    ],
    "Completions": [["E101", "WF-101", D(2025, 2, 1), 85, "3"]],
    "Certifications": [["E101", 1, D(2025, 5, 1), "E100", None]],
    "Pairings": [["E101", "E100", D(2025, 1, 6), None]],
    "PayPeriods": [[D(2025, 1, 6), D(2025, 1, 19)], ["2025-01-20", "2025-02-02"]],
}


def org(*names: str) -> dict:
    """A deep copy of the small organisation (only the named sheets, if any), headers first."""
    chosen = names or tuple(ORG)
    return {name: [list(HEADERS[name]), *copy.deepcopy(ORG[name])] for name in chosen}


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """Workbook bytes: each sheet's first row is its header row."""
    buffer = io.BytesIO()
    write_workbook(buffer, [SheetData(title, rows[0], rows[1:]) for title, rows in sheets.items()])
    return buffer.getvalue()


def check(sheets: dict, *, kind: str = Kind.WORKBOOK, today: datetime.date = TODAY):
    book = read_workbook(xlsx(sheets), LIMITS)
    return workbook_check(book, kind=kind, today=today)


def problems(sheets: dict, **kwargs) -> list[str]:
    return [str(p) for p in check(sheets, **kwargs).report.problems]


def warnings(sheets: dict, **kwargs) -> list[str]:
    return [str(w) for w in check(sheets, **kwargs).report.warnings]
