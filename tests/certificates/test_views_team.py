"""The team table and its .xlsx download: filters, sorting, paging, typed cells, query counts."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from tests.certificates import worlds
from tests.factories.certificates import PayPeriodFactory
from tests.factories.skills import EmployeeFactory

pytestmark = pytest.mark.django_db

TEAM = reverse("certificates:team")
EXPORT = reverse("certificates:team-export")
progress_world = worlds.progress_world


def numbers(response) -> list[str]:
    return [row.record.employee_number for row in response.context["table"].paginated_rows]


@pytest.fixture
def manager(client, role_users):
    client.force_login(role_users[Role.MANAGER])
    return client


def test_team_lists_everyone_employed_today_with_tiers_and_gaps(manager, progress_world):
    EmployeeFactory(employee_number="E59999", termination_date=worlds.days_ago(1))
    response = manager.get(TEAM)
    assert response.status_code == 200
    shown = numbers(response)
    assert {"E50001", "E50002", "E50003", "E50004"} <= set(shown)
    assert "E59999" not in shown
    html = response.content.decode()
    assert "DEESC: level 2 of 3 needed" in html  # Ada's gap
    assert "Ready to certify" in html and "Lapsing" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ready=on", ["E50002"]),
        ("lapsing=on", ["E50003"]),
        ("eligible_tier=2", ["E50003"]),
        ("eligible_tier=0&side=back", ["E50010", "E50004"]),  # by name: Buddy, Tester
        ("q=ada", ["E50001"]),
        ("q=E50003", ["E50003"]),
        ("shift=night", []),
    ],
)
def test_team_filters(manager, progress_world, query, expected):
    shown = numbers(manager.get(f"{TEAM}?{query}"))
    assert [n for n in shown if n.startswith("E5")] == expected


def test_team_filters_by_department_and_site(manager, progress_world):
    back = progress_world["back"]
    assert [n for n in numbers(manager.get(f"{TEAM}?department={back.pk}")) if n >= "E5"] == [
        "E50010",
        "E50004",
    ]
    assert numbers(manager.get(f"{TEAM}?site=Nowhere")) == []


def test_team_sorts_by_eligible_tier(manager, progress_world):
    shown = numbers(manager.get(f"{TEAM}?sort=-eligible_tier"))
    assert shown[0] == "E50003"  # the only Tier II


def test_team_name_order_is_the_same_paged_by_the_database_or_filtered_in_python(
    manager, tier_world
):
    for n, last in enumerate(("Dvořáková", "Dąbrowska", "Davies", "dale", "Ørsted", "Öz")):
        EmployeeFactory(
            employee_number=f"E8{n:04d}",
            first_name="Zephyrine",
            last_name=last,
            department=tier_world["front"],
        )
    paged = numbers(manager.get(f"{TEAM}?q=Zephyrine"))
    # A tier filter makes the view rank every row and sort them in Python.
    filtered = numbers(manager.get(f"{TEAM}?q=Zephyrine&eligible_tier=0"))
    assert paged == filtered
    assert sorted(paged) == [f"E8{n:04d}" for n in range(6)]
    assert numbers(manager.get(f"{TEAM}?q=Zephyrine&sort=-employee")) == paged[::-1]
    by_tier = numbers(manager.get(f"{TEAM}?q=Zephyrine&sort=eligible_tier"))
    assert by_tier == paged  # all without a tier: ties keep the name order


def test_team_pages_by_25(manager, tier_world):
    for n in range(30):
        EmployeeFactory(employee_number=f"E7{n:04d}", department=tier_world["front"])
    first, second = manager.get(TEAM), manager.get(f"{TEAM}?page=2")
    assert len(numbers(first)) == 25
    assert len(numbers(first)) + len(numbers(second)) >= 30
    assert not set(numbers(first)) & set(numbers(second))


def test_team_rejects_a_bad_filter_value_with_an_empty_table(manager, progress_world):
    response = manager.get(f"{TEAM}?eligible_tier=9")
    assert response.status_code == 200
    assert numbers(response) == []
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.PAYROLL])
def test_team_refused_to_employees_and_payroll(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(TEAM).status_code == 403
    assert client.get(EXPORT).status_code == 403


def read_export(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    rows = list(sheet.iter_rows())
    return [c.value for c in rows[0]], rows[1:]


def test_team_export_follows_the_filters_with_typed_cells(manager, progress_world):
    headers, rows = read_export(manager.get(f"{EXPORT}?ready=on"))
    assert [r[0].value for r in rows] == ["E50002"]
    cell = dict(zip(headers, rows[0], strict=True))
    assert cell["Eligible tier"].value == 1 and cell["Eligible tier"].data_type == "n"
    assert cell["Certified tier"].value == 0
    assert cell["Cross-training hours"].value == 4
    assert cell["Cross-training hours"].number_format == "0.00"
    assert cell["Ready to certify"].value is True
    assert cell["Next tier"].value == "Tier II"
    assert "DEESC: level 0 of 3 needed" in cell["Missing for the next tier"].value


def test_team_export_writes_the_pages_labels_in_a_table_to_work_in(manager, progress_world):
    response = manager.get(EXPORT)
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers, rows = read_export(response)
    cell = dict(zip(headers, rows[0], strict=True))
    assert cell["Shift"].value in ("Day", "Evening", "Night")
    nobody = [r for r in rows if r[headers.index("Certified tier")].value == 0]
    assert nobody and {r[headers.index("Certified tier name")].value for r in nobody} == {"No tier"}
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:T")
    assert all(c.font.b for c in sheet[1])
    assert sheet.column_dimensions["T"].width > 20  # "Missing for the next tier"


def test_team_export_never_writes_a_formula(manager, tier_world):
    EmployeeFactory(
        employee_number="E80000",
        first_name='=HYPERLINK("http://x")',
        last_name="+cmd|' /C calc'!A0",
        department=tier_world["front"],
    )
    headers, rows = read_export(manager.get(f"{EXPORT}?q=E80000"))
    [row] = rows
    cells = dict(zip(headers, row, strict=True))
    assert cells["First name"].data_type == "s"
    assert cells["First name"].value == '=HYPERLINK("http://x")'
    assert cells["Last name"].data_type == "s"


def test_team_export_sorted_as_on_screen(manager, progress_world):
    headers, rows = read_export(manager.get(f"{EXPORT}?sort=-eligible_tier"))
    assert rows[0][0].value == "E50003"
    assert Decimal(str(rows[0][headers.index("Cross-training hours")].value)) == 4


@pytest.mark.parametrize("people", [3, 30])
@pytest.mark.parametrize("query", ["", "?ready=on", "?sort=hours", "?lapsing=on"])
def test_team_query_count_does_not_grow(
    manager, tier_world, people, query, django_assert_max_num_queries
):
    for n in range(people):
        EmployeeFactory(employee_number=f"E6{n:04d}", department=tier_world["front"])
    with django_assert_max_num_queries(30):
        assert manager.get(TEAM + query).status_code == 200


@pytest.mark.parametrize("people", [3, 30])
def test_team_export_query_count_does_not_grow(
    manager, tier_world, people, django_assert_max_num_queries
):
    for n in range(people):
        EmployeeFactory(employee_number=f"E6{n:04d}", department=tier_world["front"])
    with django_assert_max_num_queries(20):
        assert manager.get(EXPORT).status_code == 200


@pytest.mark.parametrize(
    ("query", "shown"),
    [("sort=nonsense", "E50001"), ("sort=-nonsense&ready=on", "E50002"), ("sort=gaps", "E50001")],
)
def test_team_ignores_an_unknown_sort(manager, progress_world, query, shown):
    response = manager.get(f"{TEAM}?{query}")
    assert response.status_code == 200
    assert shown in numbers(response)


def test_team_flags_and_filters_people_paid_below_their_certified_tier(manager, tier_world, lapser):
    today = timezone.localdate()
    PayPeriodFactory(start=today - datetime.timedelta(days=2), end=today + datetime.timedelta(11))
    EmployeeFactory(employee_number="E30001", department=tier_world["front"])

    response = manager.get(f"{TEAM}?lapsed=on")

    assert numbers(response) == ["E30000"]
    html = response.content.decode()
    assert ">Lapsed</span>" in html
    assert "Tier II lapsed: 0 of 1 other-side skills at level 3" in html
    assert {"E30000", "E30001"} <= set(numbers(manager.get(f"{TEAM}?per_page=200")))
    headers, rows = read_export(manager.get(f"{EXPORT}?lapsed=on"))
    cell = dict(zip(headers, rows[0], strict=True))
    assert cell["Paid below certified tier"].value is True
    assert cell["Why paid below"].value.startswith("Tier II lapsed")
