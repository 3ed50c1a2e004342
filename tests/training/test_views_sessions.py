"""The session pages: record in one request, list, detail, correction, the attendee picker."""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from skills.models import Signoff
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SkillFactory
from tests.factories.training import AttendanceFactory, TrainingSessionFactory
from training.models import Attendance, TrainingSession
from training.services import AttendeeRow, session_correct

pytestmark = pytest.mark.django_db

CREATE = reverse("training:session-create")
LIST = reverse("training:session-list")


@pytest.fixture
def world(make_user):
    host = DepartmentFactory(code="BO-BILL", name="Billing", side="back")
    home = DepartmentFactory(code="CC-GEN", name="General enquiries", side="front")
    user = make_user("ola", Role.TRAINER)
    trainer = EmployeeFactory(employee_number="E1", department=host, user=user)
    people = [
        EmployeeFactory(employee_number=f"E{n}", department=home, first_name=name, last_name="Lee")
        for n, name in ((2, "Ada"), (3, "Ben"), (4, "Cy"))
    ]
    skill = SkillFactory(code="BILL-DISPUTE", department=host)
    return SimpleNamespace(
        host=host, home=home, user=user, trainer=trainer, people=people, skill=skill
    )


def formset(prefix: str, rows: list[dict], blank: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + blank),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            data[f"{prefix}-{index}-{field}"] = value
    return data


def session_post(world, attendees=None, signoffs=None, **fields) -> dict:
    data = {
        "action": "save",
        "date": timezone.localdate().isoformat(),
        "host_department": str(world.host.pk),
        "kind": "classroom",
        "trainer_number": "E1",
        "duration_hours": "2",
        "skills": [str(world.skill.pk)],
        "notes": "",
        "session_ref": "",
    }
    data.update(fields)
    if attendees is None:
        attendees = [{"employee": p.employee_number, "hours": ""} for p in world.people]
    data.update(formset("attendees", attendees, blank=2))
    data.update(formset("signoffs", signoffs or [], blank=1))
    return data


# --- Recording ------------------------------------------------------------------------------


def test_session_create_form_starts_with_today_and_the_trainer_and_remembers_nothing(client, world):
    client.force_login(world.user)

    response = client.get(CREATE)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="trainer_number" value="E1"' in html
    assert f'name="date" value="{timezone.localdate().isoformat()}"' in html
    assert '<form method="post" class="session-form" autocomplete="off"' in html
    assert "no-store" in response["Cache-Control"]
    script = (Path(settings.BASE_DIR) / "static/js/session_form.js").read_text()
    assert "localStorage." not in script and "sessionStorage." not in script
    assert "fetch(" in script  # the picker asks the server; nothing comes from elsewhere
    assert "http" not in script.replace("https://", "").split("*/", 1)[1]


def test_session_create_saves_attendees_and_signoffs_in_one_request_then_shows_a_blank_form(
    client, world
):
    client.force_login(world.user)
    data = session_post(
        world,
        attendees=[
            {"employee": "E2", "hours": ""},
            {"employee": "E3", "hours": "1.5"},
            {"employee": "Cy Lee", "hours": ""},
        ],
        signoffs=[
            {"employee": "E2", "skill": str(world.skill.pk), "level": "3", "evidence": "Good"},
            {"employee": "E3", "skill": str(world.skill.pk), "level": "3", "evidence": ""},
        ],
    )

    response = client.post(CREATE, data)

    assert response.status_code == 302
    assert response["Location"] == CREATE
    session = TrainingSession.objects.get()
    assert dict(session.attendances.values_list("employee__employee_number", "hours")) == {
        "E2": Decimal("2"),
        "E3": Decimal("1.5"),
        "E4": Decimal("2"),
    }
    assert Signoff.objects.filter(level=3, skill=world.skill).count() == 2
    page = client.get(CREATE).content.decode()
    assert (
        f'Session <a href="{reverse("training:session-detail", args=[session.session_ref])}">'
        in page
    )
    assert 'value="E2"' not in page and 'value="1.5"' not in page


def test_session_create_refuses_the_whole_submission_with_each_problem_next_to_its_row(
    client, world
):
    client.force_login(world.user)
    data = session_post(
        world,
        attendees=[
            {"employee": "E2", "hours": ""},
            {"employee": "E3", "hours": "2.25"},
            {"employee": "E1", "hours": ""},
            {"employee": "E2", "hours": ""},
        ],
        signoffs=[{"employee": "E2", "skill": str(world.skill.pk), "level": "5"}],
    )

    response = client.post(CREATE, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert TrainingSession.objects.count() == 0 and Signoff.objects.count() == 0
    assert "Nothing was saved: 4 problems to correct." in html
    for where, message in [
        ("Attendees, row 2, hours", "2.25 hours is more than the session&#x27;s 2 hours"),
        ("Attendees, row 3, attendee", "the trainer E1 cannot attend their own session"),
        ("Attendees, row 4, attendee", "E2 is listed more than once"),
        ("Sign-offs, row 1, level", "level must be 1 to 4, not 5"),
    ]:
        assert f"{where}</a>: {message}" in html
    # The message also sits in the row itself, and what was typed is kept.
    row = html[html.index('id="attendees-row-1"') : html.index('id="attendees-row-2"')]
    assert "2.25 hours is more than" in row and 'value="2.25"' in row


@pytest.mark.parametrize(
    ("fields", "where", "message"),
    [
        ({"duration_hours": "1.3"}, "Duration (hours)",
         "duration must be a multiple of 0.25 hours, above 0 and at most 12, not 1.3"),
        ({"duration_hours": "13"}, "Duration (hours)",
         "duration must be a multiple of 0.25 hours, above 0 and at most 12, not 13"),
        ({"date": "2099-01-01"}, "Date", "2099-01-01 is in the future"),
        ({"trainer_number": "E404"}, "Trainer", "no employee has the number or name E404"),
    ],
)  # fmt: skip
def test_session_create_names_the_session_field_in_trouble(client, world, fields, where, message):
    client.force_login(world.user)

    response = client.post(CREATE, session_post(world, **fields))

    assert f"{where}</a>: {message}" in response.content.decode()
    assert TrainingSession.objects.count() == 0


def test_session_create_refuses_a_terminated_attendee_after_their_termination(client, world):
    world.people[2].termination_date = timezone.localdate() - datetime.timedelta(days=1)
    world.people[2].save()
    client.force_login(world.user)

    response = client.post(CREATE, session_post(world))

    assert "Attendees, row 3, attendee</a>: E4 left on" in response.content.decode()
    assert Attendance.objects.count() == 0


def test_session_create_saves_30_attendees_in_one_request_with_constant_queries(client, world):
    crowd = [EmployeeFactory(department=world.home) for _ in range(33)]
    client.force_login(world.user)

    def post(people) -> int:
        rows = [{"employee": p.employee_number, "hours": "1.75"} for p in people]
        signoffs = [
            {"employee": p.employee_number, "skill": str(world.skill.pk), "level": "2"}
            for p in people
        ]
        with CaptureQueriesContext(connection) as captured:
            response = client.post(CREATE, session_post(world, rows, signoffs))
        assert response.status_code == 302
        return len(captured)

    assert post(crowd[:3]) == post(crowd[3:])
    assert Attendance.objects.filter(hours=Decimal("1.75")).count() == 33


def test_session_create_adds_a_whole_department_keeping_what_was_typed(client, world):
    gone = EmployeeFactory(department=world.home, termination_date=datetime.date(2024, 1, 1))
    newcomer = EmployeeFactory(department=world.home)
    client.force_login(world.user)
    data = session_post(world, attendees=[{"employee": "E2", "hours": "1.5"}])
    data.update({"action": "add_group", "add_department": str(world.home.pk), "notes": "Kept"})

    response = client.post(CREATE, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert TrainingSession.objects.count() == 0
    assert "Added 3 people active on" in html and "1 already listed or the trainer." in html
    for number in ("E3", "E4", newcomer.employee_number):
        assert f'value="{number}"' in html
    assert f'value="{gone.employee_number}"' not in html
    assert 'value="1.5"' in html and "Kept</textarea>" in html
    assert "Nothing was saved" not in html


def test_session_create_adds_a_shift_and_refuses_an_empty_choice(client, world):
    night = EmployeeFactory(department=DepartmentFactory(), shift="night")
    client.force_login(world.user)
    data = session_post(world, attendees=[])
    data.update({"action": "add_group", "add_shift": "night"})

    assert f'value="{night.employee_number}"' in client.post(CREATE, data).content.decode()

    data.update({"add_shift": ""})
    assert "Choose a department or a shift to add." in client.post(CREATE, data).content.decode()


def test_session_create_more_rows_without_script(client, world):
    client.force_login(world.user)
    data = session_post(world, attendees=[{"employee": "E2", "hours": ""}])
    data["action"] = "more_attendees"

    html = client.post(CREATE, data).content.decode()

    assert 'name="attendees-TOTAL_FORMS" value="11"' in html
    assert 'name="attendees-0-employee" value="E2"' in html


def test_session_create_ignores_a_signoff_row_with_only_a_skill(client, world):
    client.force_login(world.user)
    data = session_post(world, signoffs=[{"skill": str(world.skill.pk)}])

    assert client.post(CREATE, data).status_code == 302
    assert Signoff.objects.count() == 0


# --- List and detail ------------------------------------------------------------------------


def make_sessions(count: int, attendees: int = 2) -> list[TrainingSession]:
    sessions = []
    for _ in range(count):
        session = TrainingSessionFactory(skills=[SkillFactory()])
        for _ in range(attendees):
            AttendanceFactory(session=session)
        sessions.append(session)
    return sessions


@pytest.mark.parametrize("count", [2, 30])
def test_session_list_queries_do_not_grow_with_rows(
    client, world, django_assert_max_num_queries, count
):
    make_sessions(count)
    client.force_login(world.user)

    with django_assert_max_num_queries(10):
        response = client.get(LIST)

    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == min(count, 25)


def test_session_list_filters_by_dates_host_kind_and_trainer(client, world):
    keep = TrainingSessionFactory(
        session_ref="KEEP", date=datetime.date(2025, 6, 2), host_department=world.host,
        trainer=world.trainer, kind="shadowing",
    )  # fmt: skip
    TrainingSessionFactory(session_ref="EARLY", date=datetime.date(2025, 5, 1))
    TrainingSessionFactory(
        session_ref="OTHER-KIND", date=datetime.date(2025, 6, 3), kind="classroom"
    )
    client.force_login(world.user)

    response = client.get(
        LIST,
        {
            "date_from": "2025-06-01",
            "date_to": "2025-06-30",
            "host_department": world.host.pk,
            "kind": "shadowing",
            "trainer": "E1",
        },
    )

    assert [row.record.session_ref for row in response.context["table"].page.object_list] == [
        keep.session_ref
    ]


@pytest.mark.parametrize("attendees", [2, 25])
def test_session_detail_queries_do_not_grow_with_attendees_or_corrections(
    client, world, django_assert_max_num_queries, attendees
):
    session = make_sessions(1, attendees)[0]
    people = list(session.attendances.values_list("employee__employee_number", flat=True))
    for round_ in range(attendees // 5 + 1):
        session_correct(
            session=session,
            attendees=[
                AttendeeRow(i, n, Decimal("0.25") * (round_ + 1)) for i, n in enumerate(people)
            ],
            reason=f"round {round_}",
            user=world.user,
        )
    client.force_login(world.user)

    with django_assert_max_num_queries(14):
        response = client.get(reverse("training:session-detail", args=[session.session_ref]))

    assert response.status_code == 200
    assert response.content.decode().count("Why: round") == attendees // 5 + 1


def test_session_detail_shows_attendees_signoffs_and_the_correction_history(client, world):
    client.force_login(world.user)
    client.post(
        CREATE,
        session_post(
            world, signoffs=[{"employee": "E2", "skill": str(world.skill.pk), "level": "3"}]
        ),
    )
    session = TrainingSession.objects.get()
    session_correct(
        session=session,
        attendees=[AttendeeRow(0, "E2", Decimal("1.5")), AttendeeRow(1, "E3")],
        reason="Cy was off sick",
        user=world.user,
    )

    html = client.get(
        reverse("training:session-detail", args=[session.session_ref])
    ).content.decode()

    assert "Ada Lee" in html and "Cross-training" in html
    assert "3 · Independent" in html
    assert "Why: Cy was off sick" in html
    assert "removed E4" in html and "E2: 2 h → 1.5 h" in html
    assert "Ada Lee (ola)" not in html and "ola" in html


# --- Correction -----------------------------------------------------------------------------


@pytest.fixture
def session(world):
    session = TrainingSessionFactory(trainer=world.trainer, host_department=world.host)
    for person in world.people:
        AttendanceFactory(session=session, employee=person)
    return session


def correct_url(session) -> str:
    return reverse("training:session-correct", args=[session.session_ref])


def test_session_correct_is_refused_to_a_trainer_who_did_not_give_the_session(
    client, session, make_user
):
    other = make_user("someone", Role.TRAINER)
    EmployeeFactory(user=other)
    client.force_login(other)

    assert client.get(correct_url(session)).status_code == 403
    assert client.post(correct_url(session), {"reason": "x"}).status_code == 403


@pytest.mark.parametrize("role", [Role.MANAGER, Role.ADMINISTRATOR])
def test_session_correct_is_open_to_managers_and_administrators(client, session, make_user, role):
    client.force_login(make_user(f"boss-{role}", role))

    assert client.get(correct_url(session)).status_code == 200


def correction_post(session, rows, reason) -> dict:
    data = {"reason": reason}
    data.update(formset("attendees", rows))
    data["attendees-INITIAL_FORMS"] = str(session.attendances.count())
    return data


def test_session_correct_saves_with_the_reason_and_shows_it_in_the_history(client, world, session):
    client.force_login(world.user)
    rows = [
        {"employee": "E2", "hours": "1.5"},
        {"employee": "E3", "hours": "2"},
        {"employee": "E4", "hours": "2", "remove": "on"},
    ]

    response = client.post(correct_url(session), correction_post(session, rows, "Cy left early"))

    assert response.status_code == 302
    assert sorted(session.attendances.values_list("employee__employee_number", flat=True)) == [
        "E2",
        "E3",
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Why: Cy left early" in html and "removed E4" in html


def test_session_correct_without_a_reason_changes_nothing(client, world, session):
    client.force_login(world.user)
    rows = [{"employee": "E2", "hours": "1"}, {"employee": "E3", "hours": "2"}]

    response = client.post(correct_url(session), correction_post(session, rows, ""))

    assert response.status_code == 200
    assert "give the reason for this correction" in response.content.decode()
    assert session.attendances.count() == 3


# --- The attendee picker --------------------------------------------------------------------


def test_employee_search_finds_active_people_by_name_or_number(client, world):
    EmployeeFactory(first_name="Ada", last_name="Gone", termination_date=datetime.date(2024, 1, 1))
    client.force_login(world.user)
    url = reverse("training:employee-search")

    by_name = json.loads(client.get(url, {"q": "ada lee"}).content)["results"]
    by_number = json.loads(client.get(url, {"q": "e3"}).content)["results"]
    on_day = json.loads(client.get(url, {"q": "ada", "on": "2023-06-01"}).content)["results"]
    today = json.loads(client.get(url, {"q": "ada"}).content)["results"]

    assert [r["number"] for r in by_name] == ["E2"]
    assert by_name[0]["label"] == "Ada Lee · CC-GEN · Day"
    assert [r["number"] for r in by_number] == ["E3"]
    assert {"Ada Gone", "Ada Lee"} <= {r["name"] for r in on_day}
    assert "Ada Gone" not in {r["name"] for r in today}


def test_employee_search_answers_at_most_20(client, world):
    for _ in range(25):
        EmployeeFactory(last_name="Many")
    client.force_login(world.user)

    results = json.loads(client.get(reverse("training:employee-search"), {"q": "many"}).content)[
        "results"
    ]

    assert len(results) == 20
