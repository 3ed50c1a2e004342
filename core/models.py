"""Abstract models that several apps' records share: revocation (who, when, why)."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Revocable(models.Model):
    """A record that is never edited or deleted: a wrong one is revoked and stays in the history.

    A revocation has both a date and a reason, or neither (a database constraint); who revoked
    it is recorded when known.
    """

    revoked_on = models.DateField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(Q(revoked_on__isnull=True) & Q(revoke_reason=""))
                | (Q(revoked_on__isnull=False) & ~Q(revoke_reason="")),
                name="%(class)s_revocation_has_date_and_reason",
            ),
        ]

    @staticmethod
    def revoked_after(field: str, name: str) -> models.CheckConstraint:
        """The constraint that a revocation is dated on or after the record's own `field`."""
        return models.CheckConstraint(
            condition=Q(revoked_on__isnull=True) | Q(revoked_on__gte=F(field)), name=name
        )

    def is_revoked_on(self, day: datetime.date) -> bool:
        return self.revoked_on is not None and self.revoked_on <= day


class Submission(models.Model):
    """A form submission already acted on: its single-use token, and what it recorded.

    A create form carries a fresh token; writing the record and this row happen in one
    transaction, so a double click, a retried request or the same form posted twice at once
    records once (the token is the primary key), and the repeat is shown the first result.
    """

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    result = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.token}"


class Job(models.Model):
    """A piece of long work a person started from a page and runs in the background (a task):
    its progress as it goes, then its result file or its error. Kept in the database, so any
    app server can show it; only its owner (and administrators) may see it; it expires after
    settings.TRACKER["JOB_RESULT_DAYS"] (core.jobs)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=7, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=120, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.BinaryField(blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    # A job whose result is a page (an import's preview) rather than a file.
    result_url = models.CharField(max_length=500, blank=True)
    back_url = models.CharField(max_length=500, blank=True)
    # What the job works on (an upload's token), to find a job already under way for it.
    subject = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The last sign of life of a running job: a job silent for JOB_STALE_MINUTES is failed.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["subject", "kind"], name="core_job_subject_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    @property
    def counts(self) -> str:
        """How far it got, in its own units: "1,200 of 10,000"."""
        return f"{self.done:,} of {self.total:,}" if self.total else ""

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else 0
