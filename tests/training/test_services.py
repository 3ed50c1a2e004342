"""Recording sessions with attendees and sign-offs, corrections, module reviews and results."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from skills.models import Signoff
from tests.factories.skills import DepartmentFactory, EmployeeFactory, SignoffFactory, SkillFactory
from tests.factories.training import (
    ModuleCompletionFactory,
    TrainingSessionFactory,
    WorkflowModuleFactory,
)
from training import selectors
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule
from training.services import (
    SESSION_RECORDED,
    AttendeeRow,
    ResultRow,
    SignoffRow,
    completion_batch,
    completion_create,
    module_review,
    session_correct,
    session_record,
)

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 3, 2)


@pytest.fixture
def world(make_user):
    """A back-office trainer (login in the trainer group) and three front-office attendees."""
    host = DepartmentFactory(code="BO-BILL", side="back")
    home = DepartmentFactory(code="CC-GEN", side="front")
    user = make_user("ola", Role.TRAINER)
    trainer = EmployeeFactory(employee_number="E1", department=host, user=user)
    people = [
        EmployeeFactory(employee_number=n, department=home, first_name=f, last_name="Smith")
        for n, f in (("E2", "Ada"), ("E3", "Ben"), ("E4", "Cy"))
    ]
    skill = SkillFactory(code="BILL-DISPUTE", department=host)
    other_skill = SkillFactory(code="BILL-RUN", department=host)
    return SimpleNamespace(
        host=host, home=home, user=user, trainer=trainer, people=people, skill=skill,
        other_skill=other_skill,
    )  # fmt: skip


def record(world, **changes):
    values = {
        "user": world.user,
        "date": TODAY,
        "host_department": world.host,
        "kind": TrainingSession.Kind.CLASSROOM,
        "trainer_number": "E1",
        "duration_hours": Decimal("2"),
        "skills": [world.skill],
        "attendees": [AttendeeRow(0, "E2"), AttendeeRow(1, "E3"), AttendeeRow(2, "E4")],
        "signoffs": [],
        "today": TODAY,
    }
    values.update(changes)
    return session_record(**values)


def refusal(world, **changes) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record(world, **changes)
    assert TrainingSession.objects.count() == 0
    assert Attendance.objects.count() == 0
    assert Signoff.objects.count() == 0
    return caught.value.message_dict


# --- Recording ------------------------------------------------------------------------------


def test_session_record_saves_session_attendance_and_signoffs_in_one_go(world):
    session = record(
        world,
        attendees=[
            AttendeeRow(0, "E2"),
            AttendeeRow(1, "e3", Decimal("1.5")),
            AttendeeRow(2, "Cy Smith"),
        ],
        signoffs=[
            SignoffRow(0, "E2", world.skill, 3, "Handled two disputes"),
            SignoffRow(1, "E3", world.skill, 3),
        ],
    )

    assert session.session_ref == "S-20260302-001"
    assert session.trainer == world.trainer
    assert list(session.skills.all()) == [world.skill]
    hours = dict(session.attendances.values_list("employee__employee_number", "hours"))
    assert hours == {"E2": Decimal("2"), "E3": Decimal("1.5"), "E4": Decimal("2")}
    signoffs = Signoff.objects.order_by("employee__employee_number")
    assert [(s.employee.employee_number, s.level, s.assessor_id) for s in signoffs] == [
        ("E2", 3, world.trainer.pk),
        ("E3", 3, world.trainer.pk),
    ]
    assert signoffs[0].evidence == "Handled two disputes (Assessed in session S-20260302-001.)"
    assert signoffs[1].assessed_on == TODAY
    assert signoffs[1].recorded_by == world.user
    history = Attendance.history.filter(session_id=session.pk)
    assert {h.history_change_reason for h in history} == {SESSION_RECORDED}
    assert {h.history_user_id for h in history} == {world.user.pk}


def test_session_record_numbers_generated_references_per_day_and_keeps_a_typed_one(world):
    first = record(world)
    second = record(world)
    typed = record(world, session_ref="CLASS-7")

    assert [first.session_ref, second.session_ref, typed.session_ref] == [
        "S-20260302-001",
        "S-20260302-002",
        "CLASS-7",
    ]


def test_session_record_refuses_a_reference_already_used(world):
    TrainingSessionFactory(session_ref="CLASS-7")

    with pytest.raises(ValidationError) as caught:
        record(world, session_ref="CLASS-7")

    assert caught.value.message_dict == {
        "session_ref": ["CLASS-7 is already the reference of another session"]
    }


def test_session_record_counts_the_session_in_the_attendees_cross_training_hours(world):
    record(world, attendees=[AttendeeRow(0, "E2", Decimal("1.25"))])

    assert selectors.cross_training_hours(world.people[0], TODAY) == Decimal("1.25")


# The bad inputs the issue lists: each refused with a message naming the field and the row,
# and nothing saved. Row indexes are the form's (0-based); the page shows them from 1.
BAD_INPUT = [
    (
        "hours above the duration",
        {"attendees": [AttendeeRow(0, "E2"), AttendeeRow(1, "E3", Decimal("2.25"))]},
        "attendees-1-hours",
        "2.25 hours is more than the session's 2 hours",
    ),
    (
        "hours not in quarter hours",
        {"attendees": [AttendeeRow(0, "E2", Decimal("0.2"))]},
        "attendees-0-hours",
        "hours must be a multiple of 0.25 above 0, not 0.2",
    ),
    (
        "duration not a multiple of 0.25",
        {"duration_hours": Decimal("1.3")},
        "duration_hours",
        "duration must be a multiple of 0.25 hours, above 0 and at most 12, not 1.3",
    ),
    (
        "duration above 12",
        {"duration_hours": Decimal("12.25")},
        "duration_hours",
        "duration must be a multiple of 0.25 hours, above 0 and at most 12, not 12.25",
    ),
    (
        "the trainer among the attendees",
        {"attendees": [AttendeeRow(0, "E2"), AttendeeRow(1, "E1")]},
        "attendees-1-employee",
        "the trainer E1 cannot attend their own session",
    ),
    (
        "the same attendee twice",
        {"attendees": [AttendeeRow(0, "E2"), AttendeeRow(1, "E3"), AttendeeRow(2, "e2")]},
        "attendees-2-employee",
        "E2 is listed more than once",
    ),
    (
        "a level above 4",
        {"signoffs": [SignoffRow(0, "E2", None, 5)]},
        "signoffs-0-level",
        "level must be 1 to 4, not 5",
    ),
    (
        "a level below 1",
        {"signoffs": [SignoffRow(0, "E2", None, 0)]},
        "signoffs-0-level",
        "level must be 1 to 4, not 0",
    ),
    (
        "a date in the future",
        {"date": D(2026, 3, 3)},
        "date",
        "2026-03-03 is in the future",
    ),
    (
        "an unknown attendee",
        {"attendees": [AttendeeRow(0, "E99")]},
        "attendees-0-employee",
        "no employee has the number or name E99",
    ),
    (
        "no attendee at all",
        {"attendees": []},
        "attendees",
        "a session needs at least one attendee",
    ),
    (
        "a sign-off for someone who did not attend",
        {"attendees": [AttendeeRow(0, "E2")], "signoffs": [SignoffRow(0, "E3", None, 3)]},
        "signoffs-0-employee",
        "E3 is not an attendee of this session",
    ),
    (
        "a reference that cannot be a web address",
        {"session_ref": "2026/03 class"},
        "session_ref",
        "a reference is letters, digits and - _ . only (it appears in web addresses), "
        "not 2026/03 class",
    ),
]


@pytest.mark.parametrize(
    ("case", "changes", "key", "message"), BAD_INPUT, ids=[c[0] for c in BAD_INPUT]
)
def test_session_record_refuses_bad_input_and_saves_nothing(world, case, changes, key, message):
    errors = refusal(world, **changes)

    assert message in errors[key], errors


def test_session_record_refuses_an_attendee_after_their_termination(world):
    world.people[1].termination_date = D(2026, 3, 1)
    world.people[1].save()

    errors = refusal(world)

    assert errors == {"attendees-1-employee": ["E3 left on 2026-03-01, on or before 2026-03-02"]}


def test_session_record_refuses_a_skill_not_covered_by_the_session(world):
    errors = refusal(world, signoffs=[SignoffRow(0, "E2", world.other_skill, 3)])

    assert errors == {"signoffs-0-skill": ["BILL-RUN is not among the skills this session covers"]}


def test_session_record_refuses_signoffs_by_a_trainer_without_the_role_or_level_4(world):
    world.user.groups.clear()

    errors = refusal(world, signoffs=[SignoffRow(0, "E2", world.skill, 3)])

    assert errors == {
        "signoffs-0-skill": [
            "E1 cannot assess BILL-DISPUTE: an assessor needs the trainer role or level 4 on "
            "it (level 0 on 2026-03-02)"
        ]
    }


def test_session_record_lets_a_level_4_colleague_without_the_role_sign_off(world):
    world.user.groups.clear()
    SignoffFactory(employee=world.trainer, skill=world.skill, level=4, assessed_on=D(2025, 1, 6))

    record(world, signoffs=[SignoffRow(0, "E2", world.skill, 3)])

    assert Signoff.objects.filter(employee__employee_number="E2", level=3).count() == 1


def test_session_record_refuses_a_signoff_given_twice(world):
    SignoffFactory(
        employee=world.people[1], skill=world.skill, level=3, assessed_on=TODAY,
        assessor=world.trainer,
    )  # fmt: skip
    before = Signoff.objects.count()

    with pytest.raises(ValidationError) as caught:
        record(
            world,
            signoffs=[
                SignoffRow(0, "E2", world.skill, 3),
                SignoffRow(1, "E2", world.skill, 3),
                SignoffRow(2, "E3", world.skill, 3),
            ],
        )

    assert caught.value.message_dict == {
        "signoffs-1-level": ["E2 is signed off at level 3 on BILL-DISPUTE more than once"],
        "signoffs-2-level": ["E3 already has a level 3 sign-off on BILL-DISPUTE dated 2026-03-02"],
    }
    assert Signoff.objects.count() == before


def test_session_record_reports_every_bad_row_at_once(world):
    errors = refusal(
        world,
        duration_hours=Decimal("1"),
        attendees=[AttendeeRow(0, "E2", Decimal("3")), AttendeeRow(1, "E1"), AttendeeRow(2, "E2")],
        signoffs=[SignoffRow(0, "E3", world.skill, 7)],
    )

    assert set(errors) == {
        "attendees-0-hours",
        "attendees-1-employee",
        "attendees-2-employee",
        "signoffs-0-employee",
        "signoffs-0-level",
    }


def test_session_record_takes_the_same_number_of_queries_for_3_or_30_attendees(world):
    crowd = [EmployeeFactory(department=world.home) for _ in range(33)]

    def queries(people) -> int:
        with CaptureQueriesContext(connection) as captured:
            record(
                world,
                attendees=[AttendeeRow(i, p.employee_number) for i, p in enumerate(people)],
                signoffs=[
                    SignoffRow(i, p.employee_number, world.skill, 2) for i, p in enumerate(people)
                ],
            )
        return len(captured)

    assert queries(crowd[:3]) == queries(crowd[3:])
    assert Attendance.objects.count() == 33


# --- Corrections ----------------------------------------------------------------------------


@pytest.fixture
def recorded(world):
    return record(world)


def test_session_correct_changes_hours_adds_and_removes_with_the_reason_in_history(world, recorded):
    newcomer = EmployeeFactory(employee_number="E5", department=world.home)

    session_correct(
        session=recorded,
        attendees=[
            AttendeeRow(0, "E2", Decimal("1.5")),
            AttendeeRow(1, "E3"),
            AttendeeRow(3, newcomer.employee_number, Decimal("0.5")),
        ],
        reason="Ada left at the break; Eve joined late",
        user=world.user,
    )

    hours = dict(recorded.attendances.values_list("employee__employee_number", "hours"))
    assert hours == {"E2": Decimal("1.5"), "E3": Decimal("2"), "E5": Decimal("0.5")}
    changed = Attendance.history.filter(session_id=recorded.pk).exclude(
        history_change_reason=SESSION_RECORDED
    )
    assert sorted(h.history_type for h in changed) == ["+", "-", "~"]
    assert {h.history_change_reason for h in changed} == {"Ada left at the break; Eve joined late"}
    assert {h.history_user_id for h in changed} == {world.user.pk}
    (correction,) = selectors.session_corrections(recorded)
    assert correction.why == "Ada left at the break; Eve joined late"
    assert "ola" in correction.who
    assert sorted(correction.changes) == ["E2: 2 h → 1.5 h", "added E5 (0.5 h)", "removed E4"]


def test_session_correct_requires_a_reason(world, recorded):
    with pytest.raises(ValidationError) as caught:
        session_correct(
            session=recorded,
            attendees=[AttendeeRow(0, "E2", Decimal("1"))],
            reason="  ",
            user=world.user,
        )

    assert caught.value.message_dict == {"reason": ["give the reason for this correction"]}
    assert recorded.attendances.count() == 3


def test_session_correct_applies_the_recording_checks_and_changes_nothing(world, recorded):
    with pytest.raises(ValidationError) as caught:
        session_correct(
            session=recorded,
            attendees=[AttendeeRow(0, "E2", Decimal("2.5")), AttendeeRow(1, "E1")],
            reason="Typo",
            user=world.user,
        )

    assert caught.value.message_dict == {
        "attendees-0-hours": ["2.5 hours is more than the session's 2 hours"],
        "attendees-1-employee": ["the trainer E1 cannot attend their own session"],
    }
    assert recorded.attendances.count() == 3
    assert selectors.session_corrections(recorded) == []


def test_session_correct_refuses_a_correction_that_changes_nothing(world, recorded):
    with pytest.raises(ValidationError) as caught:
        session_correct(
            session=recorded,
            attendees=[
                AttendeeRow(0, "E2"),
                AttendeeRow(1, "E3"),
                AttendeeRow(2, "E4", Decimal("2")),
            ],
            reason="Checking",
            user=world.user,
        )

    assert caught.value.message_dict == {"__all__": ["nothing was changed"]}


# --- Modules and results --------------------------------------------------------------------


def test_module_review_sets_the_date_and_optionally_the_version(world):
    module = WorkflowModuleFactory(code="WF-101", version="1.0", last_reviewed_on=D(2024, 1, 1))

    module_review(module=module, reviewed_on=D(2026, 3, 1), user=world.user, today=TODAY)
    module.refresh_from_db()
    assert (module.last_reviewed_on, module.version) == (D(2026, 3, 1), "1.0")
    assert not module.is_due_for_review(TODAY)

    module_review(
        module=module, reviewed_on=D(2026, 3, 2), version="1.1", user=world.user, today=TODAY
    )
    module.refresh_from_db()
    assert module.version == "1.1"
    latest = module.history.first()
    assert latest.history_change_reason == "Module reviewed; version 1.1"
    assert latest.history_user == world.user


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2026, 3, 3), "2026-03-03 is in the future"),
        (D(2023, 12, 31), "2023-12-31 is before the last review on 2024-01-01"),
    ],
)
def test_module_review_refuses_a_date_in_the_future_or_before_the_last_review(world, day, message):
    module = WorkflowModuleFactory(last_reviewed_on=D(2024, 1, 1))

    with pytest.raises(ValidationError) as caught:
        module_review(module=module, reviewed_on=day, user=world.user, today=TODAY)

    assert caught.value.message_dict == {"reviewed_on": [message]}
    assert WorkflowModule.objects.get().last_reviewed_on == D(2024, 1, 1)


def test_completion_batch_records_a_class_by_number_or_name(world):
    module = WorkflowModuleFactory(code="WF-101", version="2.0", pass_mark=80)

    done = completion_batch(
        module=module,
        completed_on=TODAY,
        rows=[ResultRow(0, "E2", 85), ResultRow(1, "ben smith", 70), ResultRow(2, "e4", 100)],
        user=world.user,
        today=TODAY,
    )

    assert [(c.employee.employee_number, c.score, c.passed, c.version) for c in done] == [
        ("E2", 85, True, "2.0"),
        ("E3", 70, False, "2.0"),
        ("E4", 100, True, "2.0"),
    ]


@pytest.mark.parametrize(
    ("rows", "key", "message"),
    [
        ([ResultRow(0, "E2", 85), ResultRow(1, "E3", 101)], "results-1-score",
         "score must be a whole number from 0 to 100, not 101"),
        ([ResultRow(0, "E2", -1)], "results-0-score",
         "score must be a whole number from 0 to 100, not -1"),
        ([ResultRow(0, "E2", 85), ResultRow(1, "Ada Smith", 90)], "results-1-who",
         "E2 has more than one result in this list"),
        ([ResultRow(0, "Zed Nobody", 85)], "results-0-who",
         "no employee has the number or name Zed Nobody"),
    ],
)  # fmt: skip
def test_completion_batch_refuses_a_bad_line_and_saves_nothing(world, rows, key, message):
    module = WorkflowModuleFactory()

    with pytest.raises(ValidationError) as caught:
        completion_batch(module=module, completed_on=TODAY, rows=rows, user=world.user, today=TODAY)

    assert message in caught.value.message_dict[key]
    assert ModuleCompletion.objects.count() == 0


def test_completion_batch_refuses_an_ambiguous_name(world):
    EmployeeFactory(employee_number="E9", first_name="Ada", last_name="Smith")
    module = WorkflowModuleFactory()

    with pytest.raises(ValidationError) as caught:
        completion_batch(
            module=module, completed_on=TODAY, rows=[ResultRow(0, "Ada Smith", 90)],
            user=world.user, today=TODAY,
        )  # fmt: skip

    assert caught.value.message_dict == {
        "results-0-who": [
            "Ada Smith matches more than one employee (E2, E9); use the employee number"
        ]
    }


def test_completion_create_refuses_a_result_already_recorded_that_day(world):
    existing = ModuleCompletionFactory(employee=world.people[0], completed_on=TODAY)

    with pytest.raises(ValidationError) as caught:
        completion_create(
            employee=world.people[0], module=existing.module, completed_on=TODAY, score=90,
            user=world.user, today=TODAY,
        )  # fmt: skip

    assert caught.value.message_dict == {
        "employee": [f"E2 already has a result for {existing.module.code} dated 2026-03-02"]
    }


def test_completion_create_refuses_a_date_in_the_future_and_a_terminated_employee(world):
    world.people[0].termination_date = D(2026, 2, 1)
    world.people[0].save()
    module = WorkflowModuleFactory()

    with pytest.raises(ValidationError) as caught:
        completion_create(
            employee=world.people[0], module=module, completed_on=D(2026, 3, 3), score=90,
            user=world.user, today=TODAY,
        )  # fmt: skip

    assert caught.value.message_dict == {
        "completed_on": ["2026-03-03 is in the future"],
        "employee": ["E2 left on 2026-02-01, on or before 2026-03-03"],
    }
