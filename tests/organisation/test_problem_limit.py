"""A garbage workbook is not checked to the end: after 1,000 problems checking stops, says so,
and nothing is written."""

import pytest

from core.spreadsheets.reading import MAX_PROBLEMS
from organisation.services import workbook_import
from skills.models import Employee
from tests.organisation.test_workbook_support import check, org, xlsx

pytestmark = pytest.mark.django_db


def test_checking_stops_after_the_first_thousand_problems_and_says_so():
    sheets = org("Departments", "Employees")
    header = sheets["Employees"][0]
    garbage = [
        [f"E{9000 + n}", "Bad", "Row", "", "NO-SUCH", "", "day", "not a date", None, None]
        for n in range(3000)
    ]
    sheets["Employees"] = [header, *garbage]

    problems = [str(p) for p in check(sheets).report.problems]

    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == (
        "Checking stopped after the first 1,000 problems; correct these and upload again to "
        "see any others."
    )


def test_a_workbook_with_a_few_problems_lists_them_all():
    sheets = org("Departments", "Employees")
    sheets["Employees"][1][7] = "2026-13-01"
    problems = [str(p) for p in check(sheets).report.problems]
    assert len(problems) == 1 and "not a date" in problems[0]


def test_a_garbage_upload_is_not_read_past_the_thousandth_problem(settings):
    # The rows past the cap are never read: the check stops first, so the answer is the
    # problems found, not a refusal of the sheet's length.
    settings.TRACKER = {
        **settings.TRACKER,
        "WORKBOOK": {**settings.TRACKER["WORKBOOK"], "MAX_ROWS_PER_SHEET": 2000},
    }
    sheets = org("Departments", "Employees")
    garbage = [
        [f"E{9000 + n}", "Bad", "Row", "", "NO-SUCH", "", "day", "not a date", None, None]
        for n in range(3000)
    ]
    sheets["Employees"] = [sheets["Employees"][0], *garbage]

    result = workbook_import(data=xlsx(sheets), file_name="garbage.xlsx")

    assert len(result.problems) == MAX_PROBLEMS + 1
    assert result.problems[-1].startswith("Checking stopped after the first 1,000 problems")
    assert not result.written and not Employee.objects.exists()
