"""The organisation workbook as a whole: Tiers, Certifications, PayPeriods and the orchestrator."""

import pytest

from certificates.eligibility import NOT_ELIGIBLE
from certificates.workbook import TierRecord
from organisation.workbook import OVERRIDE_HINT, workbook_summary
from tests.factories.certificates import PayPeriodFactory
from tests.organisation.test_workbook_support import D, check, org, problems, warnings

pytestmark = pytest.mark.django_db


def test_tiers_parse_lists_and_money():
    tiers = check(org()).tables["Tiers"].incoming

    assert tiers[2] == TierRecord(
        2, "Tier II", pytest.approx(1.25), 4, 1, 180, ("WF-101",), (("DEESC", 3),), "XT2"
    )


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (7, "DEESC", "Tiers!H3 (required_skills): DEESC is not CODE:LEVEL (for example DEESC:3)"),
        (7, "DEESC:7", "Tiers!H3 (required_skills): DEESC:7: level must be 1 to 4, not 7"),
        (7, "NOPE:2", "Tiers!H3 (required_skills): unknown skill NOPE"),
        (6, "WF-101, WF-404", "Tiers!G3 (required_modules): unknown module WF-404"),
        (
            2,
            1.255,
            "Tiers!C3 (differential_per_hour): differential_per_hour must be at least 0, below "
            "100000, with at most two decimals, not 1.255",
        ),
        (0, 0, "Tiers!A3 (rank): rank must be a whole number of at least 1, not 0"),
    ],
)
def test_tiers_row_problems(column, value, line):
    sheets = org()
    sheets["Tiers"][2][column] = value

    assert problems(sheets) == [line]


def test_certification_needs_eligibility_on_its_date():
    sheets = org()
    sheets["Certifications"][1][1] = 2  # Tier II needs DEESC level 3, 4 hours, one other side
    sheets["Signoffs"].pop()  # ... and DEESC is gone

    assert problems(sheets) == [
        "Certifications!B2 (tier_rank): "
        + NOT_ELIGIBLE.format(
            number="E101",
            tier="Tier II",
            day=D(2025, 5, 1),
            reason="DEESC: level 0 of 3 needed",
        )
        + OVERRIDE_HINT
    ]


def test_certification_counts_workbook_rows_merged_with_the_tracker():
    sheets = org()
    sheets["Certifications"][1][2] = D(2025, 3, 10)  # before S-2 (3.5 hours) took place
    sheets["Attendance"][1][2] = 1  # S-1 counts 1 hour instead of 2: 1 of 2 hours needed

    assert problems(sheets) == [
        "Certifications!B2 (tier_rank): "
        + NOT_ELIGIBLE.format(
            number="E101", tier="Tier I", day=D(2025, 3, 10), reason="1 of 2 cross-training hours"
        )
        + OVERRIDE_HINT
    ]


def test_certification_with_override_reason_is_allowed_without_eligibility():
    sheets = org()
    sheets["Certifications"][1][1] = 2
    sheets["Signoffs"].pop()
    sheets["Certifications"][1][4] = "Certified on paper in 2024; migrated"

    assert problems(sheets) == []


@pytest.mark.parametrize(
    ("column", "value", "line"),
    [
        (3, "E101", "Certifications!D2 (certified_by_number): E101 cannot certify themselves"),
        (1, 9, "Certifications!B2 (tier_rank): unknown tier 9"),
        (
            3,
            "E103",
            "Certifications!D2 (certified_by_number): E103 was hired on 2023-01-09, after "
            "2022-12-01",
        ),
    ],
)
def test_certification_row_problems(column, value, line):
    sheets = org()
    sheets["Certifications"][1][column] = value
    if value == "E103":
        sheets["Certifications"][1][2] = D(2022, 12, 1)
        sheets["Certifications"][1][4] = "migrated"

    assert problems(sheets) == [line]


def test_pay_periods_must_be_contiguous():
    sheets = org("PayPeriods")
    sheets["PayPeriods"].append([D(2025, 2, 10), D(2025, 2, 23)])
    sheets["PayPeriods"].append([D(2025, 2, 20), D(2025, 3, 5)])

    assert problems(sheets) == [
        "PayPeriods!A4 (start): pay periods are contiguous, but 2025-02-02 ends one period and "
        "the next starts on 2025-02-10",
        "PayPeriods!A5 (start): the period 2025-02-20 – 2025-03-05 overlaps the period "
        "2025-02-10 – 2025-02-23",
    ]


def test_pay_periods_closed_period_cannot_change():
    PayPeriodFactory(start=D(2025, 1, 6), end=D(2025, 1, 19), closed=True)
    sheets = org("PayPeriods")
    sheets["PayPeriods"][1][1] = D(2025, 1, 18)

    assert problems(sheets) == [
        "PayPeriods!B2 (end): the period starting 2025-01-06 is closed; its end (2025-01-19) "
        "cannot change"
    ]


def test_problems_are_listed_in_workbook_order():
    sheets = org()
    sheets["PayPeriods"][1][1] = "soon"
    sheets["Employees"][2][7] = "2026-13-01"
    sheets["Departments"][1][2] = "up"

    lines = problems(sheets)

    assert lines[:2] == [
        "Departments!C2 (side): up is not one of front, back",
        "Employees!H3 (hire_date): 2026-13-01 is not a date",
    ]
    assert lines[-1] == "PayPeriods!B2 (end): soon is not a date"


def test_summary_counts_each_sheet_present():
    result = check(org("Departments", "Employees"))

    assert [(c.sheet, c.created, c.updated, c.unchanged) for c in workbook_summary(result)] == [
        ("Departments", 2, 0, 0),
        ("Employees", 4, 0, 0),
    ]


def test_roster_reads_the_employees_sheet_only():
    sheets = org("Departments", "Employees", "Skills")
    sheets["Skills"][1][3] = "not even checked"

    result = check({"Employees": sheets["Employees"], "Skills": sheets["Skills"]}, kind="roster")

    assert [str(p) for p in result.report.problems] == [
        "Employees!E2 (department_code): unknown department BO-BILL",
        "Employees!E3 (department_code): unknown department CC-GEN",
        "Employees!E4 (department_code): unknown department CC-GEN",
        "Employees!E5 (department_code): unknown department BO-BILL",
    ]
    assert [str(w) for w in result.report.warnings] == [
        "Skills: a payroll roster is the Employees sheet alone: this sheet was not read and "
        "nothing in it is imported"
    ]


def test_roster_without_employees_sheet():
    assert problems({"Notes": [["a"], ["b"]]}, kind="roster") == [
        "a payroll roster needs an Employees sheet"
    ]
    assert warnings({"Notes": [["a"], ["b"]]}, kind="roster") == ["Notes: unknown sheet, ignored"]


def test_tier_record_has_exactly_the_fields_of_a_tier_rule():
    import dataclasses

    from certificates.eligibility import TierRule
    from certificates.workbook import TierRecord

    assert list(TierRecord._fields) == [f.name for f in dataclasses.fields(TierRule)]
