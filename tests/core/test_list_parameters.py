"""Every list page shrugs off hostile paging and sorting in its address: no 500, no flood."""

import pytest
from django.urls import reverse

from core.roles import Role
from core.tables import MAX_PER_PAGE
from tests.factories.buddies import BuddyPairingFactory
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory
from tests.factories.training import TrainingSessionFactory, WorkflowModuleFactory

pytestmark = pytest.mark.django_db

LISTS = [
    ("certificates:team", {}),
    ("certificates:payroll", {}),
    ("skills:expiring", {}),
    ("skills:coverage-help", "department"),
    ("training:session-list", {}),
    ("training:module-list", {}),
    ("training:new-hires", {}),
    ("buddies:pairings", {}),
]
HOSTILE = [
    {"per_page": "-1"},
    {"per_page": "0"},
    {"per_page": "100000000"},
    {"per_page": "many"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999"},
    {"page": "last"},
    {"sort": "no_such_column"},
    {"sort": "-"},
    {"sort": "employee__user__password"},
    {"per_page": "-5", "page": "-5", "sort": "--"},
]


@pytest.fixture
def world():
    department = DepartmentFactory(code="BO-X", side="back")
    people = EmployeeFactory.create_batch(30, department=department)
    for person in people[:5]:
        SignoffFactory(employee=person)
    TrainingSessionFactory.create_batch(3)
    WorkflowModuleFactory()
    BuddyPairingFactory()
    return {"department": department}


@pytest.mark.parametrize(("name", "kwargs"), LISTS, ids=[n for n, _ in LISTS])
def test_every_list_answers_hostile_paging_and_sorting(client, role_users, world, name, kwargs):
    client.force_login(role_users[Role.ADMINISTRATOR])
    if kwargs == "department":
        kwargs = {"code": world["department"].code}
    url = reverse(name, kwargs=kwargs or None)
    for params in HOSTILE:
        response = client.get(url, params)
        assert response.status_code == 200, f"{name} {params}: {response.status_code}"
        table = response.context.get("table")
        if table is not None and getattr(table, "paginator", None) is not None:
            assert 1 <= table.paginator.per_page <= MAX_PER_PAGE, (name, params)
