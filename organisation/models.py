"""Models of what spans the whole organisation: uploaded workbooks awaiting confirmation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class WorkbookUpload(models.Model):
    """An uploaded workbook between its preview and its confirmation.

    The bytes live in the database, not on an app server's disk (the servers are stateless),
    with their SHA-256: a confirmation imports exactly the bytes that were previewed, by the
    login that uploaded them, before the upload expires. A confirmed upload keeps its bytes as
    the record of what was imported; a refused one keeps none.
    """

    class Kind(models.TextChoices):
        WORKBOOK = "workbook", "Organisation workbook"
        ROSTER = "roster", "Payroll roster"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(blank=True)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # When the check that made the preview finished (a large upload is checked by a job).
    checked_at = models.DateTimeField(null=True, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    # The uploader's choice: a blank cell clears the value instead of keeping it.
    blank_clears = models.BooleanField(default=False)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        # The table it has had since it lived in the certificates app: moving the model moved
        # no rows.
        db_table = "certificates_workbookupload"
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["workbook", "roster"]), name="workbook_upload_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_kind_display()}, {self.uploaded_at:%Y-%m-%d %H:%M})"


class Reminder(models.Model):
    """One reminder e-mail, claimed by a run of `send_reminders` and then sent (organisation.
    reminders). Its key is unique: a sign-off and threshold, a manager's week, a module's
    review; so nothing is sent twice however often the command runs."""

    class Kind(models.TextChoices):
        SIGNOFF = "signoff", "Sign-off expiring"
        DIGEST = "digest", "Manager's weekly digest"
        REVIEW = "review", "Module due for review"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    employee = models.ForeignKey(
        "skills.Employee", on_delete=models.CASCADE, related_name="reminders"
    )
    email = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    claimed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        indexes = [models.Index(fields=["employee", "sent_at"])]

    def __str__(self) -> str:
        return self.key
