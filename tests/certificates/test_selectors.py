"""The eligibility selector: right inputs from the database, in a fixed number of queries."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from certificates.selectors import employees_active_on, tier_status_list
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)


def test_tier_status_list_feeds_the_engine_from_the_database(add_people):
    add_people(1)
    [status] = [s for s in tier_status_list(DAY) if s.employee_number == "E20000"]
    assert status.eligible_rank == 1
    assert status.cross_training_hours == Decimal("4")
    assert status.other_side_skills == 1
    assert status.next_tier_gaps == ["DEESC: level 0 of 3 needed"]


def test_tier_status_list_sign_off_expiry_uses_the_skill_recert_months(add_people):
    add_people(1)
    [status] = [
        s for s in tier_status_list(datetime.date(2027, 2, 1)) if s.employee_number == "E20000"
    ]
    assert status.other_side_skills == 0


def test_tier_status_list_lists_only_people_active_on_the_date(tier_world):
    EmployeeFactory(employee_number="E1", hire_date=DAY + datetime.timedelta(1))
    EmployeeFactory(employee_number="E2", termination_date=DAY, department=tier_world["front"])
    EmployeeFactory(employee_number="E3", department=tier_world["front"])
    mine = {"E1", "E2", "E3"}
    assert [s.employee_number for s in tier_status_list(DAY) if s.employee_number in mine] == ["E3"]
    active = employees_active_on(DAY).values_list("employee_number", flat=True)
    assert [number for number in active if number in mine] == ["E3"]


@pytest.mark.parametrize("people", [2, 12])
def test_tier_status_list_query_count_does_not_grow_with_head_count(
    add_people, people, django_assert_max_num_queries
):
    add_people(people)
    with django_assert_max_num_queries(8):
        statuses = tier_status_list(DAY)
    assert len(statuses) >= people


def test_tier_status_command_prints_json_sorted_by_employee_number(add_people):
    add_people(2)
    out = io.StringIO()
    call_command("tier_status", "--as-of", "2026-06-15", "--json", stdout=out)
    rows = [r for r in json.loads(out.getvalue()) if r["employee_number"] in {"E20000", "E20001"}]
    assert rows == [
        {
            "employee_number": number,
            "eligible_tier": 1,
            "cross_training_hours": "4.00",
            "other_side_skills": 1,
            "next_tier_gaps": ["DEESC: level 0 of 3 needed"],
        }
        for number in ("E20000", "E20001")
    ]


def test_tier_status_command_prints_a_readable_table(add_people):
    add_people(1)
    out = io.StringIO()
    call_command("tier_status", "--as-of", "2026-06-15", stdout=out)
    assert "Tier status on 15 Jun 2026" in out.getvalue()
    assert "E20000" in out.getvalue()
    assert "DEESC: level 0 of 3 needed" in out.getvalue()


def test_tier_status_command_refuses_a_bad_date():
    with pytest.raises(CommandError, match="2026-13-01 is not a date"):
        call_command("tier_status", "--as-of", "2026-13-01")
