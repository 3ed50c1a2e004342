"""The skills app's workbook sheets: Departments, Employees, Skills, Signoffs (DOMAIN.md)."""

import pytest

from skills import rules
from skills.models import Employee
from skills.workbook import EmployeeRecord
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory, SkillFactory
from tests.organisation.test_workbook_support import D, check, org, problems, warnings

pytestmark = pytest.mark.django_db


def test_small_organisation_has_no_problem():
    assert problems(org()) == []


def test_employees_hire_date_that_is_not_a_date():
    sheets = org("Departments", "Employees")
    sheets["Employees"][3][7] = "2026-13-01"

    assert problems(sheets) == ["Employees!H4 (hire_date): 2026-13-01 is not a date"]


def test_headers_match_whatever_their_case_and_spaces():
    sheets = org("Departments", "Employees")
    sheets["Employees"][0] = [f"  {name.upper()} " for name in sheets["Employees"][0]]
    sheets[" departments "] = sheets.pop("Departments")

    assert problems(sheets) == []


def test_employees_defaults_and_site_as_stored():
    result = check(org("Departments", "Employees"))
    table = result.tables["Employees"]

    # Blank shift is the default (day); blank site stays blank (= the department's site).
    assert table.incoming["E102"] == EmployeeRecord(
        "E102", "Łukasz", "Nowak", "", "CC-GEN", "", "day", D(2022, 5, 2), None, "E101"
    )
    assert table.incoming["E101"].hire_date == D(2021, 3, 1)  # YYYY-MM-DD text


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (4, "DEP-NONE", "Employees!E4 (department_code): unknown department DEP-NONE"),
        (6, "weekend", "Employees!G4 (shift): weekend is not one of day, evening, night"),
        (3, "not-an-email", "Employees!D4 (email): not-an-email is not an email address"),
        (9, "E404", "Employees!J4 (manager_number): unknown employee E404"),
        (9, "E102", "Employees!J4 (manager_number): E102 cannot be their own manager"),
        (
            8,
            D(2020, 1, 1),
            "Employees!I4 (termination_date): termination date 2020-01-01 is before the hire "
            "date 2022-05-02",
        ),
        (1, None, "Employees!B4 (first_name): a value is required"),
    ],
)
def test_employees_row_problems(column, value, line):
    sheets = org("Departments", "Employees")
    sheets["Employees"][3][column] = value

    assert problems(sheets) == [line]


def test_employees_manager_listed_further_down_resolves():
    sheets = org("Departments", "Employees")
    sheets["Employees"][1][9] = "E103"  # E100's manager is on a later row

    assert problems(sheets) == []


def test_employees_number_twice():
    sheets = org("Departments", "Employees")
    sheets["Employees"].append(list(sheets["Employees"][2]))

    assert problems(sheets) == ["Employees!A6 (employee_number): E101 is already on row 3"]


def test_employees_missing_required_column_and_unknown_column():
    sheets = org("Departments", "Employees")
    for row in sheets["Employees"]:
        del row[7]  # hire_date
        row.append("x")
    sheets["Employees"][0][-1] = "nickname"

    assert problems(sheets) == [
        "Employees!1:1 (hire_date): the required column hire_date is missing"
    ]
    assert warnings(sheets) == ["Employees!J1: unknown column nickname, ignored"]


def test_unknown_sheet_is_a_warning():
    sheets = org("Departments")
    sheets["Notes"] = [["anything"], ["at all"]]

    assert problems(sheets) == []
    assert warnings(sheets) == ["Notes: unknown sheet, ignored"]


def test_references_resolve_to_existing_records():
    DepartmentFactory(code="BO-CLM", side="back")
    sheets = org("Departments", "Employees")
    sheets["Employees"][4][4] = "BO-CLM"  # not in the workbook, but in the tracker

    assert problems(sheets) == []


def test_skills_problems():
    sheets = org("Departments", "Skills")
    sheets["Skills"][1][3] = 0
    sheets["Skills"][2][2] = "BO-NONE"

    assert problems(sheets) == [
        "Skills!D2 (recert_months): recert_months must be a whole number of at least 1, not 0",
        "Skills!C3 (department_code): unknown department BO-NONE",
    ]


def test_departments_side_must_be_front_or_back():
    sheets = org("Departments")
    sheets["Departments"][1][2] = "middle"

    assert problems(sheets) == ["Departments!C2 (side): middle is not one of front, back"]


# --- Sign-offs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (2, 5, "Signoffs!C2 (level): " + rules.LEVEL_OUT_OF_RANGE.format(value=5)),
        (4, "E101", "Signoffs!E2 (assessor_number): E101 cannot sign off their own skill"),
        (1, "NOPE", "Signoffs!B2 (skill_code): unknown skill NOPE"),
        (0, "E99999", "Signoffs!A2 (employee_number): unknown employee E99999"),
        (3, D(2026, 2, 1), "Signoffs!D2 (assessed_on): 2026-02-01 is in the future"),
        (
            3,
            D(2021, 1, 4),
            "Signoffs!A2 (employee_number): E101 was hired on 2021-03-01, after 2021-01-04",
        ),
        (4, "E103", None),  # E103 was employed on 2025-04-02: fine
    ],
)
def test_signoffs_row_problems(column, value, line):
    sheets = org("Departments", "Employees", "Skills", "Signoffs")
    sheets["Signoffs"][1][column] = value

    assert problems(sheets) == ([line] if line else [])


def test_signoffs_assessor_who_had_left():
    sheets = org("Departments", "Employees", "Skills", "Signoffs")
    sheets["Signoffs"][1][3] = D(2026, 1, 2)
    sheets["Signoffs"][1][4] = "E103"  # left on 2025-12-31

    assert problems(sheets) == [
        "Signoffs!E2 (assessor_number): "
        + rules.LEFT_BEFORE.format(number="E103", termination=D(2025, 12, 31), day=D(2026, 1, 2))
    ]


def test_signoffs_are_never_edited():
    employee = EmployeeFactory(employee_number="E500")
    assessor = EmployeeFactory(employee_number="E501")
    skill = SkillFactory(code="SK-1")
    SignoffFactory(
        employee=employee, assessor=assessor, skill=skill, level=2, assessed_on=D(2025, 3, 3)
    )
    sheets = {
        "Signoffs": [
            [
                "employee_number",
                "skill_code",
                "level",
                "assessed_on",
                "assessor_number",
                "evidence",
            ],
            ["E500", "SK-1", 2, D(2025, 3, 3), "E501", "Observed handling live cases."],
            ["E500", "SK-1", 3, D(2025, 3, 3), "E501", "a new, higher level is a new sign-off"],
            ["E500", "SK-1", 2, D(2025, 3, 3), "E501", "rewritten evidence"],
        ]
    }

    assert problems(sheets) == [
        "Signoffs!A4 (employee_number): E500 / SK-1 / 2025-03-03 / 2 is already on row 2",
    ]
    sheets["Signoffs"].pop(1)
    assert problems(sheets) == [
        "Signoffs!F3 (evidence): this sign-off is already recorded with evidence Observed "
        "handling live cases.; sign-offs are never edited: revoke it in the tracker and record "
        "a new one"
    ]


def test_revoked_signoff_does_not_match_a_workbook_row():
    employee = EmployeeFactory(employee_number="E500")
    assessor = EmployeeFactory(employee_number="E501")
    SignoffFactory(
        employee=employee,
        assessor=assessor,
        skill=SkillFactory(code="SK-1"),
        level=2,
        assessed_on=D(2025, 3, 3),
        revoked=True,
    )
    sheets = {
        "Signoffs": [
            ["employee_number", "skill_code", "level", "assessed_on", "assessor_number"],
            ["E500", "SK-1", 2, D(2025, 3, 3), "E501"],
        ]
    }

    result = check(sheets)

    assert result.report.problems == []
    assert result.tables["Signoffs"].counts() == (1, 0, 0)  # recorded anew, not "unchanged"


def test_roster_moving_a_hire_date_must_not_strand_existing_records():
    employee = EmployeeFactory(employee_number="E500", hire_date=D(2020, 1, 6))
    SignoffFactory(employee=employee, assessed_on=D(2021, 6, 1), skill=SkillFactory(code="SK-1"))
    row = [
        "E500",
        employee.first_name,
        employee.last_name,
        "",
        employee.department.code,
        "",
        "day",
        D(2022, 1, 1),
        None,
        None,
    ]
    sheets = {"Employees": [org("Employees")["Employees"][0], row]}

    assert problems(sheets, kind="roster") == [
        "Employees!H2 (hire_date): " + rules_still("E500", "was signed off on SK-1", D(2021, 6, 1))
    ]
    assert Employee.objects.get(employee_number="E500").hire_date == D(2020, 1, 6)


def rules_still(number, what, day):
    from skills.workbook import STILL_RECORDED

    return STILL_RECORDED.format(number=number, what=what, day=day)
