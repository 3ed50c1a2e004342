"""Buddy pairings: each contact-centre employee's named back-office go-to person."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from skills.models import Employee


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
