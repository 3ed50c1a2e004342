"""Workflow modules and their results, training sessions with attendance, and buddy pairings."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core.constraints import quarter_hours_condition
from skills.models import Department, Employee, Skill
from skills.rules import add_months
from training import rules

MAX_SESSION_HOURS = int(rules.MAX_SESSION_HOURS)


class WorkflowModule(models.Model):
    """A training module with one accountable owner, reviewed at least every 18 months."""

    code = models.CharField(max_length=30, unique=True)
    title = models.CharField(max_length=200)
    version = models.CharField(max_length=20)
    owner = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="owned_modules")
    last_reviewed_on = models.DateField()
    pass_mark = models.PositiveSmallIntegerField(default=80)
    is_new_hire = models.BooleanField(
        "new-hire module", default=False, help_text="To be passed within new_hire_days of hiring."
    )
    new_hire_days = models.PositiveSmallIntegerField(default=30)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="module_code_not_blank"),
            models.CheckConstraint(
                condition=Q(pass_mark__lte=100), name="module_pass_mark_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(new_hire_days__gte=1), name="module_new_hire_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    @property
    def review_due_on(self) -> datetime.date:
        return add_months(self.last_reviewed_on, settings.TRACKER["REVIEW_INTERVAL_MONTHS"])

    def is_due_for_review(self, today: datetime.date) -> bool:
        return self.review_due_on <= today


class ModuleCompletion(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="completions")
    module = models.ForeignKey(WorkflowModule, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField()
    score = models.PositiveSmallIntegerField()
    version = models.CharField(max_length=20, blank=True, help_text="The module version taken.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-completed_on", "employee__employee_number"]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="completion_score_0_to_100"),
            models.UniqueConstraint(
                fields=["employee", "module", "completed_on"], name="completion_natural_key"
            ),
        ]

    def __str__(self) -> str:
        number = self.employee.employee_number
        return f"{number} {self.module.code}: {self.score} ({self.completed_on})"

    @property
    def passed(self) -> bool:
        return rules.passes(self.score, self.module.pass_mark)


class TrainingSession(models.Model):
    class Kind(models.TextChoices):
        CLASSROOM = "classroom", "Classroom"
        SHADOWING = "shadowing", "Shadowing"
        FLOOR_SUPPORT = "floor_support", "Floor support"
        ESCALATION = "escalation", "Escalation"

    session_ref = models.CharField(max_length=40, unique=True)
    date = models.DateField()
    host_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="hosted_sessions",
        help_text="Whose work is taught or done.",
    )
    kind = models.CharField(max_length=13, choices=Kind.choices)
    trainer = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="sessions_given")
    duration_hours = models.DecimalField(max_digits=4, decimal_places=2)
    skills = models.ManyToManyField(Skill, blank=True, related_name="sessions")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[skills])

    class Meta:
        ordering = ["-date", "session_ref"]
        constraints = [
            models.CheckConstraint(condition=~Q(session_ref=""), name="session_ref_not_blank"),
            models.CheckConstraint(
                condition=Q(kind__in=["classroom", "shadowing", "floor_support", "escalation"]),
                name="session_kind_valid",
            ),
            models.CheckConstraint(
                condition=quarter_hours_condition("duration_hours", maximum=MAX_SESSION_HOURS),
                name="session_duration_quarter_hours_up_to_12",
            ),
        ]
        indexes = [models.Index(fields=["date"])]

    def __str__(self) -> str:
        return f"{self.session_ref} ({self.date})"


class Attendance(models.Model):
    """One attendee of a session with the hours that count for them (never above the duration)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="attendances")
    hours = models.DecimalField(max_digits=4, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "employee__employee_number"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "employee"], name="attendance_one_row_per_person"
            ),
            models.CheckConstraint(
                condition=quarter_hours_condition("hours", maximum=MAX_SESSION_HOURS),
                name="attendance_hours_quarter_hours_up_to_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee.employee_number} in {self.session.session_ref}: {self.hours} h"
