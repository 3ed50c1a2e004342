"""Database constraints, history and pure rules of modules, sessions and attendance."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from simple_history.utils import bulk_create_with_history

from tests.factories import refused
from tests.factories.buddies import BuddyPairingFactory
from tests.factories.skills import EmployeeFactory, SkillFactory
from tests.factories.training import (
    AttendanceFactory,
    ModuleCompletionFactory,
    TrainingSessionFactory,
    WorkflowModuleFactory,
)
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule

D = datetime.date
ALLOWED, REFUSED = True, False

# A duration or an attendance: above 0, whole quarter hours, at most 12.
QUARTER_HOURS_UP_TO_12 = [
    pytest.param("0.25", ALLOWED, id="0.25 smallest"),
    pytest.param("0.5", ALLOWED, id="0.5"),
    pytest.param("0.75", ALLOWED, id="0.75"),
    pytest.param("1", ALLOWED, id="1"),
    pytest.param("7.5", ALLOWED, id="7.5"),
    pytest.param("11.75", ALLOWED, id="11.75"),
    pytest.param("12", ALLOWED, id="12 largest"),
    pytest.param("0", REFUSED, id="0"),
    pytest.param("-0.25", REFUSED, id="negative"),
    pytest.param("0.3", REFUSED, id="0.3 not a quarter"),
    pytest.param("0.1", REFUSED, id="0.1 not a quarter"),
    pytest.param("1.33", REFUSED, id="1.33 not a quarter"),
    pytest.param("0.24", REFUSED, id="0.24 just under a quarter"),
    pytest.param("12.25", REFUSED, id="12.25 above 12"),
    pytest.param("24", REFUSED, id="24 above 12"),
]


# --- WorkflowModule ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_module_code_must_not_be_blank():
    with refused(WorkflowModule, "module_code_not_blank"):
        WorkflowModuleFactory(code="")


@pytest.mark.django_db
def test_module_code_is_unique():
    WorkflowModuleFactory(code="WF-101")
    with refused(WorkflowModule, "code"):
        WorkflowModuleFactory(code="WF-101")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("pass_mark", "allowed"),
    [(0, ALLOWED), (80, ALLOWED), (100, ALLOWED), (101, REFUSED)],
)
def test_module_pass_mark_is_0_to_100(pass_mark, allowed):
    if allowed:
        assert WorkflowModuleFactory(pass_mark=pass_mark).pass_mark == pass_mark
    else:
        with refused(WorkflowModule, "module_pass_mark_0_to_100"):
            WorkflowModuleFactory(pass_mark=pass_mark)


@pytest.mark.django_db
def test_module_pass_mark_is_not_negative():
    with refused(WorkflowModule, "pass_mark"):
        WorkflowModuleFactory(pass_mark=-1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_hire_days", "allowed"),
    [(1, ALLOWED), (30, ALLOWED), (0, REFUSED)],
)
def test_module_new_hire_days_is_positive(new_hire_days, allowed):
    if allowed:
        assert WorkflowModuleFactory(new_hire_days=new_hire_days).new_hire_days == new_hire_days
    else:
        with refused(WorkflowModule, "module_new_hire_days_positive"):
            WorkflowModuleFactory(new_hire_days=new_hire_days)


# --- ModuleCompletion -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("score", "allowed"),
    [(0, ALLOWED), (79, ALLOWED), (100, ALLOWED), (101, REFUSED)],
)
def test_completion_score_is_0_to_100(score, allowed):
    if allowed:
        assert ModuleCompletionFactory(score=score).score == score
    else:
        with refused(ModuleCompletion, "completion_score_0_to_100"):
            ModuleCompletionFactory(score=score)


@pytest.mark.django_db
def test_completion_score_is_not_negative():
    with refused(ModuleCompletion, "score"):
        ModuleCompletionFactory(score=-1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "allowed"),
    [
        pytest.param({}, REFUSED, id="same employee module date"),
        pytest.param({"score": 95}, REFUSED, id="a second score the same day"),
        pytest.param({"completed_on": D(2025, 6, 2)}, ALLOWED, id="a retake another day"),
    ],
)
def test_completion_natural_key_is_unique(change, allowed):
    first = ModuleCompletionFactory(completed_on=D(2025, 6, 1), score=60)
    fields = {"employee": first.employee, "module": first.module, "completed_on": D(2025, 6, 1)}
    fields |= change
    if allowed:
        assert ModuleCompletionFactory(**fields).pk != first.pk
    else:
        with refused(ModuleCompletion, "completion_natural_key"):
            ModuleCompletionFactory(**fields)


# --- TrainingSession --------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_ref_must_not_be_blank():
    with refused(TrainingSession, "session_ref_not_blank"):
        TrainingSessionFactory(session_ref="")


@pytest.mark.django_db
def test_session_ref_is_unique():
    TrainingSessionFactory(session_ref="TS-2026-001")
    with refused(TrainingSession, "session_ref"):
        TrainingSessionFactory(session_ref="TS-2026-001")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "allowed"),
    [
        ("classroom", ALLOWED),
        ("shadowing", ALLOWED),
        ("floor_support", ALLOWED),
        ("escalation", ALLOWED),
        ("", REFUSED),
        ("webinar", REFUSED),
    ],
)
def test_session_kind_is_one_of_the_four(kind, allowed):
    if allowed:
        assert TrainingSessionFactory(kind=kind).kind == kind
    else:
        with refused(TrainingSession, "session_kind_valid"):
            TrainingSessionFactory(kind=kind)


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "allowed"), QUARTER_HOURS_UP_TO_12)
def test_session_duration_is_quarter_hours_up_to_12(hours, allowed):
    if allowed:
        session = TrainingSessionFactory(duration_hours=Decimal(hours))
        session.refresh_from_db()
        assert session.duration_hours == Decimal(hours)
    else:
        with refused(TrainingSession, "session_duration_quarter_hours_up_to_12"):
            TrainingSessionFactory(duration_hours=Decimal(hours))


@pytest.mark.django_db
def test_session_trainer_is_active_on_the_session_date():
    session = TrainingSessionFactory(trainer=EmployeeFactory(hire_date=D(2030, 1, 1)))
    assert session.date == D(2030, 1, 1)
    assert session.trainer.is_active_on(session.date)

    default = TrainingSessionFactory()
    assert default.trainer.is_active_on(default.date)
    assert default.trainer.department == default.host_department


@pytest.mark.django_db
def test_session_skills_are_kept_with_the_session():
    skills = SkillFactory.create_batch(2)
    session = TrainingSessionFactory(skills=skills)
    assert set(session.skills.all()) == set(skills)


# --- Attendance -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "allowed"), QUARTER_HOURS_UP_TO_12)
def test_attendance_hours_are_quarter_hours_up_to_12(hours, allowed):
    session = TrainingSessionFactory(duration_hours=Decimal("12"))
    if allowed:
        attendance = AttendanceFactory(session=session, hours=Decimal(hours))
        attendance.refresh_from_db()
        assert attendance.hours == Decimal(hours)
    else:
        with refused(Attendance, "attendance_hours_quarter_hours_up_to_12"):
            AttendanceFactory(session=session, hours=Decimal(hours))


@pytest.mark.django_db
def test_attendance_is_one_row_per_session_and_employee():
    first = AttendanceFactory()
    with refused(Attendance, "attendance_one_row_per_person"):
        AttendanceFactory(session=first.session, employee=first.employee, hours=Decimal("1"))
    assert AttendanceFactory(session=first.session).employee != first.employee
    assert AttendanceFactory(employee=first.employee).session != first.session


@pytest.mark.django_db
def test_attendance_defaults_to_the_whole_session_for_an_active_non_trainer():
    session = TrainingSessionFactory(date=D(2019, 5, 6), duration_hours=Decimal("3.5"))
    attendance = AttendanceFactory(session=session)
    assert attendance.hours == Decimal("3.5")
    assert attendance.employee != session.trainer
    assert attendance.employee.is_active_on(session.date)
    assert attendance.employee.department != session.host_department


# --- History ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory",
    [
        WorkflowModuleFactory,
        ModuleCompletionFactory,
        TrainingSessionFactory,
        AttendanceFactory,
        BuddyPairingFactory,
    ],
)
def test_training_models_record_history_on_save(factory):
    obj = factory()
    assert obj.history.get().history_type == "+"

    obj.save()
    assert [h.history_type for h in obj.history.all()] == ["~", "+"]


@pytest.mark.django_db
def test_session_history_records_its_skills():
    skill = SkillFactory()
    session = TrainingSessionFactory()
    session.skills.add(skill)
    session.save()

    latest = session.history.first()
    assert [row.skill for row in latest.skills.all()] == [skill]


@pytest.mark.django_db
def test_attendance_bulk_create_with_history_records_the_default_user():
    clerk = get_user_model().objects.create_user(username="importer")
    session = TrainingSessionFactory(duration_hours=Decimal("1.5"))
    rows = [
        AttendanceFactory.build(session=session, employee=employee)
        for employee in EmployeeFactory.create_batch(3)
    ]

    bulk_create_with_history(rows, Attendance, default_user=clerk)

    history = Attendance.history.filter(session=session)
    assert history.count() == 3
    assert {(h.history_type, h.history_user, h.hours) for h in history} == {
        ("+", clerk, Decimal("1.5"))
    }
    assert set(history.values_list("id", flat=True)) == set(
        session.attendances.values_list("id", flat=True)
    )


# --- Pure rules (no database) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_reviewed_on", "today", "due"),
    [
        pytest.param(D(2025, 1, 15), D(2026, 7, 14), False, id="day before 18 months"),
        pytest.param(D(2025, 1, 15), D(2026, 7, 15), True, id="exactly 18 months"),
        pytest.param(D(2025, 1, 15), D(2027, 1, 1), True, id="overdue"),
        pytest.param(D(2024, 8, 31), D(2026, 2, 27), False, id="31 Aug + 18 = 28 Feb: day before"),
        pytest.param(D(2024, 8, 31), D(2026, 2, 28), True, id="31 Aug + 18 = 28 Feb"),
        pytest.param(D(2026, 7, 1), D(2026, 7, 1), False, id="reviewed today"),
    ],
)
def test_module_is_due_for_review_18_months_after_last_review(last_reviewed_on, today, due):
    module = WorkflowModule(last_reviewed_on=last_reviewed_on)
    assert module.is_due_for_review(today) is due


@override_settings(TRACKER={"REVIEW_INTERVAL_MONTHS": 12})
def test_module_review_interval_is_a_setting():
    module = WorkflowModule(last_reviewed_on=D(2025, 1, 15))
    assert module.review_due_on == D(2026, 1, 15)
    assert module.is_due_for_review(D(2026, 1, 15))


@pytest.mark.parametrize(
    ("score", "passed"),
    [(79, False), (80, True), (100, True)],
)
def test_completion_passes_at_the_pass_mark(score, passed):
    completion = ModuleCompletion(module=WorkflowModule(pass_mark=80), score=score)
    assert completion.passed is passed
