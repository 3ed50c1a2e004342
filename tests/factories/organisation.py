"""Factories for uploaded workbooks and the logins that upload them."""

import factory
from factory.django import DjangoModelFactory

from organisation.models import WorkbookUpload


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
