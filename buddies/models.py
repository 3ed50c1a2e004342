"""Buddy pairings: each contact-centre employee's named back-office go-to person."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from skills.models import Employee


def leaver_end(
    started_on: datetime.date, *termination_dates: datetime.date | None
) -> datetime.date | None:
    """When an open pairing ends because its seeker or buddy leaves: the earlier last day of
    the two (never before the day after it started); None when neither has left."""
    left = [day for day in termination_dates if day]
    if not left:
        return None
    return max(min(left), started_on + datetime.timedelta(days=1))


class BuddyPairing(models.Model):
    """A front-office seeker and their back-office go-to buddy."""

    seeker = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="pairings_as_seeker"
    )
    buddy = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="pairings_as_buddy")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reasons = models.JSONField(
        default=dict, blank=True, help_text="The suggestion's cost broken down into its reasons."
    )
    note = models.TextField(blank=True)

    # The tables it has had since it lived in the training app: moving the model moved no rows.
    history = HistoricalRecords(table_name="training_historicalbuddypairing")

    class Meta:
        db_table = "training_buddypairing"
        ordering = ["-started_on", "seeker__employee_number"]
        constraints = [
            models.CheckConstraint(condition=~Q(seeker=F("buddy")), name="pairing_not_with_self"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=F("started_on")),
                name="pairing_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["seeker", "buddy", "started_on"], name="pairing_natural_key"
            ),
            models.UniqueConstraint(
                fields=["seeker"],
                condition=Q(ended_on__isnull=True),
                name="pairing_one_open_per_seeker",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.seeker.employee_number} → {self.buddy.employee_number} from {self.started_on}"
        )

    def is_active_on(self, day: datetime.date) -> bool:
        return self.started_on <= day and (self.ended_on is None or self.ended_on > day)


class BuddyExclusion(models.Model):
    """Two people who must never be suggested as a pair, and why (managers only see it).

    Stored with the lower employee id first, so a pair is recorded once whichever way round
    it was entered.
    """

    first = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    second = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["first__employee_number", "second__employee_number"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lt=F("second")), name="exclusion_in_order"),
            models.UniqueConstraint(fields=["first", "second"], name="exclusion_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="exclusion_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.first.employee_number} ✕ {self.second.employee_number}"


class BuddyUnavailability(models.Model):
    """A go-to buddy away (leave, secondment) from one day to another, both included."""

    buddy = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="unavailabilities")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day away; they are available the day after.")
    reason = models.CharField(max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on", "buddy__employee_number"]
        verbose_name_plural = "buddy unavailabilities"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="unavailability_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buddy.employee_number} away {self.starts_on} – {self.ends_on}"
