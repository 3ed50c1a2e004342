"""Factories for uploaded workbooks, the logins that upload them, and sent reminders."""

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from organisation.models import Reminder, WorkbookUpload


class WorkbookUploadFactory(DjangoModelFactory):
    """A previewed roster upload, not yet confirmed, of a payroll login."""

    class Meta:
        model = WorkbookUpload

    kind = WorkbookUpload.Kind.ROSTER
    uploaded_by = factory.SubFactory("tests.factories.organisation.UserFactory")
    file_name = factory.Sequence(lambda n: f"roster-{n}.xlsx")
    content = b"PK"
    size = 2
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    preview = factory.LazyFunction(lambda: {"summary": [], "problems": [], "warnings": []})


class UserFactory(DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"uploader-{n}")


class ReminderFactory(DjangoModelFactory):
    """A reminder send_reminders sent to an employee about a sign-off."""

    class Meta:
        model = Reminder

    key = factory.Sequence(lambda n: f"signoff:{n}:30")
    kind = Reminder.Kind.SIGNOFF
    employee = factory.SubFactory("tests.factories.skills.EmployeeFactory")
    email = factory.LazyAttribute(lambda o: o.employee.email or "someone@example.com")
    subject = "Your TONE sign-off expires on 2 Jan 2027"
    body = "Hello,\n"
    claimed_at = factory.LazyFunction(timezone.now)
    sent_at = factory.LazyFunction(timezone.now)
