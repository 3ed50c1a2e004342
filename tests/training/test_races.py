"""The same session form posted from two connections at once records one session."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection

from core import submissions
from tests.concurrency import at_once
from tests.factories.skills import DepartmentFactory, EmployeeFactory
from training.models import TrainingSession
from training.services import AttendeeRow, session_record

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]


def test_two_simultaneous_posts_of_one_form_record_one_session(make_user):
    host = DepartmentFactory(side="back")
    user = make_user("ola", "trainer")
    EmployeeFactory(employee_number="E1", department=host, user=user)
    attendees = [EmployeeFactory(employee_number=f"E{n}") for n in range(2, 5)]
    token = uuid.uuid4()

    def post():
        try:
            return submissions.once(
                token,
                user=user,
                kind="session",
                write=lambda: session_record(
                    user=user,
                    date=datetime.date(2026, 6, 1),
                    host_department=host,
                    kind="classroom",
                    trainer_number="E1",
                    duration_hours=Decimal("2"),
                    skills=[],
                    notes="",
                    session_ref="",
                    attendees=[
                        AttendeeRow(i, a.employee_number, None) for i, a in enumerate(attendees)
                    ],
                    signoffs=[],
                ),
                result_of=lambda s: s.session_ref,
            ).session_ref
        except submissions.AlreadySubmitted as repeat:
            return f"repeat of {repeat.result}"

    outcomes = sorted(value for _, value in at_once(post, times=3))

    (session,) = TrainingSession.objects.all()
    assert outcomes == [session.session_ref, *[f"repeat of {session.session_ref}"] * 2]
    assert session.attendances.count() == 3


def test_two_identical_results_at_once_record_one_and_refuse_the_other(make_user):
    from tests.factories.training import WorkflowModuleFactory
    from training.models import ModuleCompletion
    from training.services import completion_create

    user = make_user("ola", "trainer")
    learner = EmployeeFactory(employee_number="E3")
    module = WorkflowModuleFactory(code="WF-1")
    day = datetime.date(2026, 6, 1)

    outcomes = at_once(
        lambda: (
            completion_create(
                employee=learner, module=module, completed_on=day, score=90, user=user, today=day
            ).pk
        ),
        times=4,
    )

    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused", "refused", "refused"]
    for kind, value in outcomes:
        if kind == "refused":
            assert value == [f"E3 already has a result for WF-1 dated {day}"]
    assert ModuleCompletion.objects.count() == 1
