"""Finding and ordering people ignores case and accents in every script, and matches partial
names and numbers, the same on SQLite and PostgreSQL (Employee.search_key / sort_key)."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from certificates.filters import TeamFilter
from core.tables import name_order
from skills.filters import name_or_number_q
from skills.models import Employee
from tests.factories.skills import DEFAULT_EVENT_DATE, DepartmentFactory, EmployeeFactory
from training.filters import SessionFilter
from training.selectors import employee_search
from training.services import resolve_people

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("E1017301", "Сергей", "Попов"),
    ("E1017302", "Zoë", "Ødegård"),
    ("E1017303", "Bích Ngọc", "Nguyễn"),
    ("E1017304", "Anna", "Dąbrowska"),
    ("E1017305", "Petra", "Dvořáková"),
    ("E1017306", "Emre", "Öztürk"),
    ("E1017307", "Piotr", "Zieliński"),
    ("E2000001", "Alan", "Davies"),
]


@pytest.fixture
def people():
    department = DepartmentFactory(code="CC-GEN")
    return {
        last: EmployeeFactory(
            employee_number=number, first_name=first, last_name=last, department=department
        )
        for number, first, last in PEOPLE
    }


def found(text: str) -> set[str]:
    return set(Employee.objects.filter(name_or_number_q(text)).values_list("last_name", flat=True))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("попов", {"Попов"}),
        ("сергей", {"Попов"}),
        ("СЕРГ поп", {"Попов"}),
        ("ødeg", {"Ødegård"}),
        ("odegard", {"Ødegård"}),
        ("zoë ødegård", {"Ødegård"}),
        ("nguyen", {"Nguyễn"}),
        ("bich ngoc", {"Nguyễn"}),
        ("dabrow", {"Dąbrowska"}),
        ("E1017", {"Попов", "Ødegård", "Nguyễn", "Dąbrowska", "Dvořáková", "Öztürk", "Zieliński"}),
        ("e1017305", {"Dvořáková"}),
        ("ozturk emre", {"Öztürk"}),
        ("nobody", set()),
    ],
)
def test_search_ignores_case_and_accents_and_matches_parts(people, text, expected):
    assert found(text) == expected


def test_the_keys_follow_a_rename_by_save_and_by_bulk_update(people):
    zoe = people["Ødegård"]
    zoe.last_name = "Åberg"
    zoe.save()
    assert found("aberg") == {"Åberg"}
    zoe.last_name = "Ødegård-Lie"
    Employee.objects.bulk_update([zoe], ["last_name"])
    assert found("odegard lie") == {"Ødegård-Lie"}
    zoe.refresh_from_db()
    assert zoe.sort_key == "odegardlie zoe"


def test_a_bulk_created_employee_has_its_keys(people):
    department = people["Попов"].department
    Employee.objects.bulk_create(
        [
            Employee(
                employee_number="E3000001",
                first_name="Łucja",
                last_name="Wąs",
                department=department,
                hire_date=DEFAULT_EVENT_DATE,
            )
        ]
    )
    assert found("lucja was") == {"Wąs"}


def test_an_update_of_a_name_is_refused_as_it_would_leave_the_keys_behind(people):
    with pytest.raises(TypeError):
        Employee.objects.filter(last_name="Попов").update(last_name="Petrov")
    assert Employee.objects.filter(shift="day").update(shift="night") == len(PEOPLE)


def test_names_are_ordered_without_accents_the_same_on_every_database(people):
    order = Employee.objects.order_by(*name_order("sort_key", "employee_number"))
    assert list(order.values_list("last_name", flat=True)) == [
        "Dąbrowska",
        "Davies",
        "Dvořáková",
        "Nguyễn",
        "Ødegård",
        "Öztürk",
        "Zieliński",
        "Попов",  # Cyrillic after Latin, as in every collation
    ]


def test_the_typeahead_finds_folded_words_and_partial_numbers(people):
    def names(text):
        return [p["name"] for p in employee_search(text=text, day=DEFAULT_EVENT_DATE)]

    assert names("odeg") == ["Zoë Ødegård"]
    assert names("nguyen") == ["Bích Ngọc Nguyễn"]
    assert names("попов") == ["Сергей Попов"]
    assert names("E10173")[:3] == ["Anna Dąbrowska", "Petra Dvořáková", "Bích Ngọc Nguyễn"]


def test_typed_attendees_match_full_names_ignoring_case_and_accents(people):
    found = resolve_people(
        ["zoë ødegård", "ZOE ODEGARD", "сергей попов", "Nobody Here"], DEFAULT_EVENT_DATE
    )
    assert found["zoë ødegård"] == people["Ødegård"]
    assert found["ZOE ODEGARD"] == people["Ødegård"]
    assert found["сергей попов"] == people["Попов"]
    assert isinstance(found["Nobody Here"], str)


def test_the_team_filter_and_the_session_trainer_filter_fold_too(people):
    team = TeamFilter({"q": "E1017 ozt"}, queryset=Employee.objects.all()).qs
    assert [e.last_name for e in team] == ["Öztürk"]
    sessions = SessionFilter({"trainer": "nguyen"}).qs
    assert str(sessions.query).count("search_key") == 1


def test_the_admin_search_folds_the_term(people, admin_user):
    request = RequestFactory().get("/admin/skills/employee/", {"q": "ODEGÅRD"})
    request.user = admin_user
    admin = site._registry[Employee]
    results, _ = admin.get_search_results(request, Employee.objects.all(), "ODEGÅRD")
    assert [e.last_name for e in results] == ["Ødegård"]
