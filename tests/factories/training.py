"""Factories for workflow modules, completions, sessions and attendance."""

from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.skills import (
    DEFAULT_HIRE_DATE,
    DepartmentFactory,
    EmployeeFactory,
    event_date,
)
from training.models import Attendance, ModuleCompletion, TrainingSession, WorkflowModule


class WorkflowModuleFactory(DjangoModelFactory):
    """A module reviewed today, so it is not due for review unless a test says so."""

    class Meta:
        model = WorkflowModule

    code = factory.Sequence(lambda n: f"WF-{100 + n}")
    title = factory.Sequence(lambda n: f"Where work comes from and goes, part {n}")
    version = "1.0"
    owner = factory.SubFactory(EmployeeFactory)
    last_reviewed_on = factory.LazyFunction(timezone.localdate)
    pass_mark = 80
    is_new_hire = False
    new_hire_days = 30

    class Params:
        new_hire = factory.Trait(is_new_hire=True)


class ModuleCompletionFactory(DjangoModelFactory):
    """A passing completion of the module's current version."""

    class Meta:
        model = ModuleCompletion

    employee = factory.SubFactory(EmployeeFactory)
    module = factory.SubFactory(WorkflowModuleFactory)
    completed_on = factory.LazyAttribute(lambda o: event_date(o.employee))
    score = 90
    version = factory.SelfAttribute("module.version")

    class Params:
        failed = factory.Trait(score=factory.LazyAttribute(lambda o: o.module.pass_mark - 1))


class TrainingSessionFactory(DjangoModelFactory):
    """A session taught by an employee of the host department, active on its date."""

    class Meta:
        model = TrainingSession
        skip_postgeneration_save = True

    session_ref = factory.Sequence(lambda n: f"TS-{n:05d}")
    host_department = factory.SubFactory(DepartmentFactory)
    kind = TrainingSession.Kind.CLASSROOM
    trainer = factory.SubFactory(
        EmployeeFactory, department=factory.SelfAttribute("..host_department")
    )
    date = factory.LazyAttribute(lambda o: event_date(o.trainer))
    duration_hours = Decimal("2.00")
    notes = ""

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(extracted)


class AttendanceFactory(DjangoModelFactory):
    """An attendee from another department, active on the session's date, for all of it."""

    class Meta:
        model = Attendance

    session = factory.SubFactory(TrainingSessionFactory)
    employee = factory.SubFactory(
        EmployeeFactory,
        hire_date=factory.LazyAttribute(
            lambda o: min(DEFAULT_HIRE_DATE, o.factory_parent.session.date)
        ),
    )
    hours = factory.SelfAttribute("session.duration_hours")
