"""The training app's workbook sheets: Modules, Sessions, Attendance, Completions."""

from decimal import Decimal

import pytest

from tests.factories.training import AttendanceFactory
from tests.organisation.test_workbook_support import D, check, org, problems
from training import rules
from training.workbook import ModuleRecord

pytestmark = pytest.mark.django_db


def test_check_pass_mark_is_pure():
    assert rules.check_pass_mark(80) is None
    assert rules.check_pass_mark(0) is None
    assert rules.check_pass_mark(101) == rules.PASS_MARK_INVALID.format(value=101)


def test_modules_blank_cells_take_the_defaults():
    result = check(org("Departments", "Employees", "Modules"))

    # A version typed as a number is the text "3"; blank pass mark 80; blank days 30.
    assert result.tables["Modules"].incoming["WF-101"] == ModuleRecord(
        "WF-101", "Where work comes from", "3", "E100", D(2025, 9, 1), 80, True, 30
    )


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (5, 101, "Modules!F2 (pass_mark): pass mark must be a whole number from 0 to 100, not 101"),
        (6, "perhaps", "Modules!G2 (new_hire): perhaps is not yes or no"),
        (3, "E404", "Modules!D2 (owner_number): unknown employee E404"),
        (
            7,
            0,
            "Modules!H2 (new_hire_days): new_hire_days must be a whole number of at least 1, not 0",
        ),
    ],
)
def test_modules_row_problems(column, value, line):
    sheets = org("Departments", "Employees", "Modules")
    sheets["Modules"][1][column] = value

    assert problems(sheets) == [line]


def test_attendance_blank_hours_are_the_sessions_duration():
    result = check(org())

    assert result.tables["Attendance"].incoming[("S-1", "E101")].hours == Decimal("2")
    assert result.tables["Attendance"].incoming[("S-1", "E102")].hours == Decimal("1.5")


@pytest.mark.parametrize(
    ("row", "column", "value", "line"),
    [
        (1, 2, 2.5, "Attendance!C2 (hours): 2.5 hours is more than the session's 2 hours"),
        (1, 2, 0.3, "Attendance!C2 (hours): hours must be a multiple of 0.25 above 0, not 0.3"),
        (1, 1, "E99999", "Attendance!B2 (employee_number): unknown employee E99999"),
        (1, 0, "S-404", "Attendance!A2 (session_ref): unknown session S-404"),
        (
            1,
            1,
            "E100",
            "Attendance!B2 (employee_number): the trainer E100 cannot attend their own session",
        ),
    ],
)
def test_attendance_row_problems(row, column, value, line):
    sheets = org()
    sheets["Attendance"][row][column] = value

    assert problems(sheets) == [line]


def test_attendance_of_someone_not_yet_hired():
    sheets = org()
    sheets["Sessions"][1][1] = D(2021, 2, 1)  # before E101's hire on 2021-03-01
    sheets["Pairings"][1][2] = D(2021, 3, 1)
    sheets["Certifications"] = [sheets["Certifications"][0]]

    assert problems(sheets) == [
        "Attendance!B2 (employee_number): E101 was hired on 2021-03-01, after 2021-02-01",
        "Attendance!B3 (employee_number): E102 was hired on 2022-05-02, after 2021-02-01",
    ]


def test_attendance_twice_for_one_person():
    sheets = org()
    sheets["Attendance"].append(["S-1", "E101", 1])

    assert problems(sheets) == ["Attendance!A5 (session_ref): S-1 / E101 is already on row 2"]


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (
            5,
            12.5,
            "Sessions!F2 (duration_hours): duration must be a multiple of 0.25 hours, above 0 "
            "and at most 12, not 12.5",
        ),
        (
            3,
            "lecture",
            "Sessions!D2 (kind): lecture is not one of classroom, shadowing, "
            "floor_support, escalation",
        ),
        (6, "BILL-DISP, NOPE", "Sessions!G2 (skills): unknown skill NOPE"),
        (1, D(2026, 3, 1), "Sessions!B2 (date): 2026-03-01 is in the future"),
    ],
)
def test_sessions_row_problems(column, value, line):
    sheets = org("Departments", "Employees", "Skills", "Sessions")
    sheets["Sessions"][1][column] = value

    assert problems(sheets) == [line]


def test_sessions_trainer_who_had_left():
    sheets = org("Departments", "Employees", "Skills", "Sessions")
    sheets["Sessions"][2][1] = D(2026, 1, 2)  # E103 left on 2025-12-31

    assert problems(sheets) == [
        "Sessions!E3 (trainer_number): E103 left on 2025-12-31, on or before 2026-01-02"
    ]


def test_sessions_shorter_duration_must_fit_the_attendance_already_recorded():
    attendance = AttendanceFactory(hours=Decimal("2.00"))
    session = attendance.session
    sheets = {
        "Sessions": [
            org("Sessions")["Sessions"][0],
            [
                session.session_ref,
                session.date,
                session.host_department.code,
                session.kind,
                session.trainer.employee_number,
                1,
                None,
                None,
            ],
        ]
    }

    assert problems(sheets) == [
        f"Sessions!A2 (session_ref): {attendance.employee.employee_number}'s attendance of 2.00 "
        "hours: 2.00 hours is more than the session's 1 hours"
    ]


def test_completions_problems():
    sheets = org()
    sheets["Completions"][1][3] = 101
    sheets["Completions"].append(["E102", "WF-999", D(2025, 2, 1), 70, None])

    assert problems(sheets) == [
        "Completions!D2 (score): score must be a whole number from 0 to 100, not 101",
        "Completions!B3 (module_code): unknown module WF-999",
    ]


def test_completions_of_someone_who_had_left():
    sheets = org()
    sheets["Completions"].append(["E103", "WF-101", D(2026, 1, 5), 70, None])

    assert problems(sheets) == [
        "Completions!A3 (employee_number): E103 left on 2025-12-31, on or before 2026-01-05"
    ]
