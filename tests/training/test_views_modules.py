"""Module catalogue and reviews, module results (one or a class), and the new-hire list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from skills.rules import add_months
from tests.factories.skills import DepartmentFactory, EmployeeFactory
from tests.factories.training import ModuleCompletionFactory, WorkflowModuleFactory
from training.models import ModuleCompletion, WorkflowModule

pytestmark = pytest.mark.django_db

LIST = reverse("training:module-list")
NEW_HIRES = reverse("training:new-hires")
BATCH = reverse("training:completion-batch")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# --- Catalogue and reviews ------------------------------------------------------------------


def test_module_list_flags_modules_due_for_review(client, role_users):
    WorkflowModuleFactory(code="WF-OLD", last_reviewed_on=add_months(timezone.localdate(), -18))
    WorkflowModuleFactory(code="WF-NEW", last_reviewed_on=add_months(timezone.localdate(), -17))
    client.force_login(role_users[Role.TRAINER])

    rows = {
        row.record.code: row.get_cell("review_due")
        for row in client.get(LIST).context["table"].rows
    }
    due_only = client.get(LIST, {"review_due": "true"}).context["table"].rows

    assert "Review due" in rows["WF-OLD"] and "Review due" not in rows["WF-NEW"]
    assert [row.record.code for row in due_only] == ["WF-OLD"]


def test_module_list_offers_the_review_to_managers_only(client, role_users):
    WorkflowModuleFactory(code="WF-1")
    url = reverse("training:module-review", args=["WF-1"])

    client.force_login(role_users[Role.TRAINER])
    assert url not in client.get(LIST).content.decode()
    client.force_login(role_users[Role.MANAGER])
    assert url in client.get(LIST).content.decode()


@pytest.mark.parametrize("count", [2, 30])
def test_module_list_queries_do_not_grow_with_rows(
    client, role_users, django_assert_max_num_queries, count
):
    for _ in range(count):
        WorkflowModuleFactory()
    client.force_login(role_users[Role.MANAGER])

    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


def test_module_review_by_a_manager_records_date_and_version(client, role_users):
    module = WorkflowModuleFactory(code="WF-1", version="1.0", last_reviewed_on=days_ago(600))
    client.force_login(role_users[Role.MANAGER])
    url = reverse("training:module-review", args=["WF-1"])

    response = client.post(url, {"reviewed_on": timezone.localdate().isoformat(), "version": "2.0"})

    assert response.status_code == 302
    module.refresh_from_db()
    assert (module.last_reviewed_on, module.version) == (timezone.localdate(), "2.0")
    assert module.history.first().history_user == role_users[Role.MANAGER]


def test_module_review_refuses_a_date_before_the_last_review(client, role_users):
    WorkflowModuleFactory(code="WF-1", last_reviewed_on=days_ago(10))
    client.force_login(role_users[Role.MANAGER])

    response = client.post(
        reverse("training:module-review", args=["WF-1"]), {"reviewed_on": days_ago(11).isoformat()}
    )

    assert "is before the last review on" in response.context["form"].errors["reviewed_on"][0]
    assert WorkflowModule.objects.get().last_reviewed_on == days_ago(10)


def test_module_review_is_refused_to_trainers(client, role_users):
    WorkflowModuleFactory(code="WF-1")
    client.force_login(role_users[Role.TRAINER])

    assert client.get(reverse("training:module-review", args=["WF-1"])).status_code == 403


# --- Results --------------------------------------------------------------------------------


def test_completion_create_records_one_result(client, role_users):
    EmployeeFactory(employee_number="E2")
    module = WorkflowModuleFactory(pass_mark=80)
    client.force_login(role_users[Role.TRAINER])

    response = client.post(
        reverse("training:completion-create"),
        {
            "employee": "E2",
            "module": module.pk,
            "completed_on": timezone.localdate().isoformat(),
            "score": "79",
        },
        follow=True,
    )

    assert (
        "scored 79 on" in response.content.decode() and "did not pass" in response.content.decode()
    )
    assert ModuleCompletion.objects.get().version == module.version


@pytest.mark.parametrize("score", ["101", "-1"])
def test_completion_create_refuses_a_score_outside_0_to_100(client, role_users, score):
    EmployeeFactory(employee_number="E2")
    module = WorkflowModuleFactory()
    client.force_login(role_users[Role.TRAINER])

    response = client.post(
        reverse("training:completion-create"),
        {
            "employee": "E2",
            "module": module.pk,
            "completed_on": timezone.localdate().isoformat(),
            "score": score,
        },
    )

    assert response.context["form"].errors["score"] == [
        f"score must be a whole number from 0 to 100, not {score}"
    ]
    assert ModuleCompletion.objects.count() == 0


def test_completion_batch_saves_a_whole_class(client, role_users):
    EmployeeFactory(employee_number="E2", first_name="Ada", last_name="Lovelace")
    EmployeeFactory(employee_number="E3", first_name="Bob", last_name="Ng")
    module = WorkflowModuleFactory(code="WF-101", pass_mark=80)
    client.force_login(role_users[Role.TRAINER])

    response = client.post(
        BATCH,
        {
            "module": module.pk,
            "completed_on": timezone.localdate().isoformat(),
            "results": "Ada Lovelace, 92\nE3\t75\n\n",
        },
        follow=True,
    )

    assert "2 results of WF-101 saved; 1 passed; did not pass: Bob Ng (E3)." in (
        response.content.decode()
    )
    assert ModuleCompletion.objects.count() == 2


def test_completion_batch_names_the_line_and_saves_nothing(client, role_users):
    EmployeeFactory(employee_number="E2")
    module = WorkflowModuleFactory()
    client.force_login(role_users[Role.TRAINER])

    response = client.post(
        BATCH,
        {
            "module": module.pk,
            "completed_on": timezone.localdate().isoformat(),
            "results": "E2 85\nE404 70\nE2 120",
        },
    )

    html = response.content.decode()
    assert "line 2 (person, “E404 70”): no employee has the number or name E404" in html
    assert "line 3 (score, “E2 120”): score must be a whole number from 0 to 100, not 120" in html
    assert "line 3 (person, “E2 120”): E2 has more than one result in this list" in html
    assert ModuleCompletion.objects.count() == 0


# --- New hires ------------------------------------------------------------------------------


def test_new_hire_list_shows_days_left_or_overdue_until_every_module_is_passed(client, role_users):
    first = WorkflowModuleFactory(code="WF-101", new_hire=True, new_hire_days=30)
    second = WorkflowModuleFactory(code="WF-102", new_hire=True, new_hire_days=60)
    WorkflowModuleFactory(code="WF-900")  # not a new-hire module
    fresh = EmployeeFactory(employee_number="E2", hire_date=days_ago(10))
    late = EmployeeFactory(employee_number="E3", hire_date=days_ago(40))
    done = EmployeeFactory(employee_number="E4", hire_date=days_ago(20))
    EmployeeFactory(employee_number="E5", hire_date=days_ago(400))  # long past the follow-up
    EmployeeFactory(employee_number="E6", hire_date=days_ago(5), termination_date=days_ago(1))
    for module in (first, second):
        ModuleCompletionFactory(employee=done, module=module, completed_on=days_ago(1), score=95)
    ModuleCompletionFactory(employee=fresh, module=second, completed_on=days_ago(1), score=95)
    ModuleCompletionFactory(employee=late, module=first, completed_on=days_ago(1), score=10)
    client.force_login(role_users[Role.TRAINER])

    response = client.get(NEW_HIRES)

    rows = [row.record for row in response.context["table"].rows]
    assert [(r.employee.employee_number, r.days_left) for r in rows] == [("E3", -10), ("E2", 20)]
    assert [p.module.code for p in rows[0].pending] == ["WF-101", "WF-102"]
    html = response.content.decode()
    assert "10 days overdue" in html and "20 days left" in html and "1 of 2" in html
    assert fresh.employee_number in html and late.employee_number in html


@pytest.mark.parametrize("count", [2, 30])
def test_new_hire_list_queries_do_not_grow_with_rows(
    client, role_users, django_assert_max_num_queries, count
):
    WorkflowModuleFactory(new_hire=True)
    department = DepartmentFactory()
    for _ in range(count):
        EmployeeFactory(hire_date=days_ago(5), department=department)
    client.force_login(role_users[Role.TRAINER])

    with django_assert_max_num_queries(10):
        response = client.get(NEW_HIRES, {"department": department.pk})

    assert len(response.context["table"].page.object_list) == count
