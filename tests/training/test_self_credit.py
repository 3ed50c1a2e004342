"""Nobody credits themselves: the signed-in person's own employee record is never the
attendee, sign-off holder or result holder of what they record or correct."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories.skills import EmployeeFactory
from tests.factories.training import TrainingSessionFactory, WorkflowModuleFactory
from tests.training.test_views_sessions import CREATE, session_post, world  # noqa: F401
from training.models import ModuleCompletion, TrainingSession
from training.services import AttendeeRow, completion_batch, session_correct

pytestmark = pytest.mark.django_db
SELF = "E1 is your own employee record: someone else records your {what}, not you"


def test_a_session_given_by_a_colleague_cannot_list_the_recorder(client, world):  # noqa: F811
    EmployeeFactory(employee_number="E7", department=world.host)  # the colleague "giving" it
    client.force_login(world.user)  # E1's login
    data = session_post(
        world,
        trainer_number="E7",
        duration_hours="12",
        attendees=[{"employee": "E1", "hours": ""}, {"employee": "E2", "hours": ""}],
    )
    response = client.post(CREATE, data)
    assert response.status_code == 200
    assert SELF.format(what="attendance") in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_a_correction_cannot_add_the_recorder(world):  # noqa: F811
    colleague = EmployeeFactory(employee_number="E7", department=world.host)
    session = TrainingSessionFactory(trainer=colleague, date=datetime.date(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        session_correct(
            session=session,
            attendees=[AttendeeRow(0, "E1", None), AttendeeRow(1, "E2", None)],
            reason="Forgot myself",
            user=world.user,
        )
    assert refused.value.message_dict["attendees-0-employee"] == [SELF.format(what="attendance")]


def test_a_result_for_the_recorder_is_refused(world):  # noqa: F811
    from training.services import ResultRow

    module = WorkflowModuleFactory(code="WF-1")
    with pytest.raises(ValidationError) as refused:
        completion_batch(
            module=module,
            completed_on=datetime.date(2026, 3, 2),
            rows=[ResultRow(0, "E1", 95), ResultRow(1, "E2", 90)],
            user=world.user,
            today=datetime.date(2026, 3, 2),
        )
    assert refused.value.message_dict["results-0-who"] == [SELF.format(what="results")]
    assert not ModuleCompletion.objects.exists(), "the other row is not written either"
