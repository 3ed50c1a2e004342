"""Ten writers of every kind at the same moment, through the pages: no 500, and nothing
recorded twice (PostgreSQL, each writer on its own connection)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from skills.models import Signoff
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SkillFactory
from tests.factories.training import WorkflowModuleFactory
from training.models import ModuleCompletion, TrainingSession

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite has one writer",
    ),
]
WRITERS = 10


def test_ten_writers_at_once_get_pages_never_a_500_and_record_once(make_user):
    host = DepartmentFactory(code="BO-BILL", side="back")
    trainers = [make_user(f"trainer{n}", Role.TRAINER) for n in range(WRITERS)]
    for n, user in enumerate(trainers):
        EmployeeFactory(employee_number=f"E{100 + n}", department=host, user=user)
    EmployeeFactory(employee_number="E2")
    skill = SkillFactory(code="TONE", department=host)
    module = WorkflowModuleFactory(code="WF-1")
    today = timezone.localdate().isoformat()
    token = "6f1c1d2e-8a0b-4c43-9f8e-3d2b1a0c9e7f"  # one session form, posted by everyone
    posts = {
        "signoff": (
            reverse("skills:signoff-create"),
            lambda n: {
                "employee": "E2",
                "skill": str(skill.pk),
                "level": "3",
                "assessed_on": today,
                "assessor": "E100",
                "evidence": "Observed",
            },
        ),
        "result": (
            reverse("training:completion-create"),
            lambda n: {"employee": "E2", "module": module.pk, "completed_on": today, "score": "90"},
        ),
        "session": (
            reverse("training:session-create"),
            lambda n: {
                "action": "save",
                "submission": token,
                "date": today,
                "host_department": str(host.pk),
                "kind": "classroom",
                "trainer_number": "E100",
                "duration_hours": "2",
                "skills": [str(skill.pk)],
                "notes": "",
                "session_ref": "",
                "attendees-TOTAL_FORMS": "1",
                "attendees-INITIAL_FORMS": "0",
                "attendees-MIN_NUM_FORMS": "0",
                "attendees-MAX_NUM_FORMS": "500",
                "attendees-0-employee": "E2",
                "attendees-0-hours": "",
                "signoffs-TOTAL_FORMS": "0",
                "signoffs-INITIAL_FORMS": "0",
                "signoffs-MIN_NUM_FORMS": "0",
                "signoffs-MAX_NUM_FORMS": "500",
            },
        ),
    }
    statuses: dict[str, list[int]] = {kind: [] for kind in posts}
    for kind, (url, data) in posts.items():
        barrier = threading.Barrier(WRITERS)

        def write(n, url=url, data=data, kind=kind, barrier=barrier):
            client = Client(raise_request_exception=False)
            client.force_login(trainers[n])
            try:
                barrier.wait()
                statuses[kind].append(client.post(url, data(n)).status_code)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    for kind, codes in statuses.items():
        assert len(codes) == WRITERS and 500 not in codes, (kind, codes)
        assert set(codes) <= {200, 302}, (kind, codes)
    assert Signoff.objects.count() == 1
    assert ModuleCompletion.objects.count() == 1
    assert TrainingSession.objects.count() == 1
