"""The trainer's home page: today's and recent sessions, expiring sign-offs, modules to review."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from skills.rules import add_months
from tests.factories.skills import EmployeeFactory, SignoffFactory, SkillFactory
from tests.factories.training import (
    AttendanceFactory,
    TrainingSessionFactory,
    WorkflowModuleFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def trainer(make_user):
    user = make_user("ola", Role.TRAINER)
    return EmployeeFactory(employee_number="E1", user=user)


def test_trainer_home_lists_today_and_recent_sessions_with_a_record_button(client, trainer):
    TrainingSessionFactory(session_ref="TODAY-1", trainer=trainer, date=timezone.localdate())
    TrainingSessionFactory(session_ref="RECENT-1", trainer=trainer, date=days_ago(3))
    TrainingSessionFactory(session_ref="OLD-1", trainer=trainer, date=days_ago(40))
    TrainingSessionFactory(session_ref="NOT-MINE", date=days_ago(1))
    client.force_login(trainer.user)

    response = client.get(HOME)

    html = response.content.decode()
    assert [s.session_ref for s in response.context["sessions_today"]] == ["TODAY-1"]
    assert [s.session_ref for s in response.context["sessions_recent"]] == ["RECENT-1"]
    assert "OLD-1" not in html and "NOT-MINE" not in html
    assert f'href="{reverse("training:session-create")}">Record a session</a>' in html


def test_trainer_home_lists_the_expiring_signoffs_they_gave(client, trainer):
    skill = SkillFactory(code="BILL-RUN", recert_months=12)
    trainee = EmployeeFactory(employee_number="E2")
    AttendanceFactory(session=TrainingSessionFactory(trainer=trainer), employee=trainee)
    stranger = EmployeeFactory(employee_number="E3")
    soon = add_months(timezone.localdate(), -12) + datetime.timedelta(days=10)
    SignoffFactory(employee=trainee, skill=skill, level=3, assessed_on=soon, assessor=trainer)
    SignoffFactory(employee=stranger, skill=skill, level=3, assessed_on=soon, assessor=trainer)
    # Given by someone else to a person the trainer trained: not theirs to renew.
    other = SkillFactory(code="OTHER", recert_months=12)
    SignoffFactory(employee=trainee, skill=other, level=3, assessed_on=soon)
    # Theirs, but renewed since by someone else: nothing expires.
    renewed = SkillFactory(code="TONE", recert_months=12)
    SignoffFactory(employee=trainee, skill=renewed, level=3, assessed_on=soon, assessor=trainer)
    SignoffFactory(employee=trainee, skill=renewed, level=3, assessed_on=days_ago(1))
    client.force_login(trainer.user)

    response = client.get(HOME)

    expiring = response.context["expiring"]
    assert [(e.employee.employee_number, e.skill.code, e.days_left) for e in expiring] == [
        ("E2", "BILL-RUN", 10),
        ("E3", "BILL-RUN", 10),
    ]
    assert "Your sign-offs expiring soon" in response.content.decode()


def test_trainer_home_lists_their_modules_due_for_review(client, trainer):
    WorkflowModuleFactory(code="WF-DUE", owner=trainer, last_reviewed_on=days_ago(800))
    WorkflowModuleFactory(code="WF-FINE", owner=trainer, last_reviewed_on=days_ago(10))
    WorkflowModuleFactory(code="WF-OTHER", last_reviewed_on=days_ago(800))
    client.force_login(trainer.user)

    html = client.get(HOME).content.decode()

    assert "WF-DUE" in html and "Review due since" in html
    assert "WF-FINE" not in html and "WF-OTHER" not in html


def test_trainer_home_without_an_employee_record_still_works(client, make_user):
    client.force_login(make_user("nobody", Role.TRAINER))

    html = client.get(HOME).content.decode()

    assert "Record a session" in html
    assert "Link your login to your employee record" in html


@pytest.mark.parametrize("count", [2, 20])
def test_trainer_home_queries_do_not_grow_with_sessions(
    client, trainer, django_assert_max_num_queries, count
):
    skill = SkillFactory(recert_months=12)
    for _ in range(count):
        session = TrainingSessionFactory(trainer=trainer, date=days_ago(1))
        attendance = AttendanceFactory(session=session)
        SignoffFactory(
            employee=attendance.employee, skill=skill, assessed_on=days_ago(350), assessor=trainer
        )
    client.force_login(trainer.user)

    with django_assert_max_num_queries(12):
        response = client.get(HOME)

    assert len(response.context["sessions_recent"]) == count
    assert len(response.context["expiring"]) == count
