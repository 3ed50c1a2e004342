"""The employee's and the manager's home pages (certificates.home via settings.HOME_CONTEXT)."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.certificates import worlds
from tests.factories.skills import EmployeeFactory, SignoffFactory, SkillFactory

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
progress_world = worlds.progress_world


def test_employee_home_summarises_progress(client, progress_world):
    client.force_login(progress_world["ada"].user)
    response = client.get(HOME)
    html = response.content.decode()
    assert "Your tier" in html and "Next: Tier II" in html
    assert "DEESC: level 2 of 3 needed" in html
    assert f'href="{reverse("certificates:my-progress")}"' in html
    assert "Bo Buddy" in html


def test_employee_home_without_a_linked_employee(client, role_users):
    client.force_login(role_users[Role.EMPLOYEE])
    html = client.get(HOME).content.decode()
    assert "Your login is not linked to an employee record yet" in html


def test_manager_home_counts_ready_lapsing_and_single_points_of_failure(
    client, role_users, progress_world
):
    # BILL-DISP has two qualified people (Ada and Cy); BILL-RARE only one.
    rare = SkillFactory(code="BILL-RARE", department=progress_world["back"])
    SignoffFactory(employee=progress_world["dee"], skill=rare, assessed_on=worlds.days_ago(3))
    client.force_login(role_users[Role.MANAGER])
    context = client.get(HOME).context
    assert context["ready_count"] == 1  # Ben
    assert context["lapsing_count"] == 1  # Cy
    assert context["spof_count"] == 1
    assert context["expiring_count"] == 2  # Ada's and Cy's BILL-DISP
    html = client.get(HOME).content.decode()
    assert f'href="{reverse("certificates:team")}?ready=on"' in html
    assert f'href="{reverse("certificates:team")}?lapsing=on"' in html


@pytest.mark.parametrize("people", [2, 20])
def test_home_pages_query_count_does_not_grow(
    client, role_users, progress_world, people, django_assert_max_num_queries
):
    for _ in range(people):
        EmployeeFactory(department=progress_world["front"])
    client.force_login(role_users[Role.MANAGER])
    with django_assert_max_num_queries(30):
        assert client.get(HOME).status_code == 200
    client.force_login(progress_world["ada"].user)
    with django_assert_max_num_queries(30):
        assert client.get(HOME).status_code == 200


def test_manager_home_counts_their_own_team_not_the_organisation(client, role_users):
    manager = EmployeeFactory(user=role_users[Role.MANAGER])
    EmployeeFactory.create_batch(2, manager=manager)
    EmployeeFactory(manager=manager, terminated=True)
    EmployeeFactory.create_batch(3)
    client.force_login(role_users[Role.MANAGER])

    response = client.get(HOME)

    assert response.context["reports_count"] == 2
    assert "2 people report to you" in response.content.decode()
