"""Departments, employees, skills and competency sign-offs."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.models import Revocable
from core.text import fold, sort_key
from skills.rules import Level, is_active_on, signoff_expires_on, signoff_valid_on


class Department(models.Model):
    class Side(models.TextChoices):
        FRONT = "front", "Front office"
        BACK = "back", "Back office"

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)
    side = models.CharField(max_length=5, choices=Side.choices)
    site = models.CharField(
        max_length=120, blank=True, help_text="Location; same site = co-located."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="department_code_not_blank"),
            models.CheckConstraint(
                condition=Q(side__in=["front", "back"]), name="department_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


# The fields an employee's search and sort keys are made of.
KEY_SOURCES = frozenset({"first_name", "last_name", "employee_number"})
KEY_FIELDS = ("search_key", "sort_key")


def fill_keys(employee: "Employee") -> None:
    """Sets the stored keys from the names and number (see core.text)."""
    employee.search_key = fold(
        f"{employee.first_name} {employee.last_name} {employee.employee_number}"
    )[:255]
    employee.sort_key = sort_key(employee.last_name, employee.first_name)[:255]


class EmployeeQuerySet(models.QuerySet):
    """Bulk writes keep the stored search and sort keys in step, as `Employee.save` does.

    `update()` of a name or number without the keys is refused: it would leave them behind.
    """

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for employee in objs:
            fill_keys(employee)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if KEY_SOURCES & set(fields):
            for employee in objs:
                fill_keys(employee)
            fields = [*fields, *(f for f in KEY_FIELDS if f not in fields)]
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs):
        if KEY_SOURCES & set(kwargs) and not set(KEY_FIELDS) <= set(kwargs):
            raise TypeError("Save employees (or bulk_update them) to change names or numbers.")
        return super().update(**kwargs)


class Employee(models.Model):
    class Shift(models.TextChoices):
        DAY = "day", "Day"
        EVENING = "evening", "Evening"
        NIGHT = "night", "Night"

    employee_number = models.CharField(
        max_length=20, unique=True, help_text="Payroll id, e.g. E10234."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="employees")
    site = models.CharField(max_length=120, blank=True, help_text="Blank: the department's site.")
    shift = models.CharField(max_length=7, choices=Shift.choices, default=Shift.DAY)
    hire_date = models.DateField()
    termination_date = models.DateField(null=True, blank=True)
    manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employee",
        help_text="The login that belongs to this person, if any.",
    )
    # Kept by save() and the bulk writes: the folded name and number that search matches in
    # part, and the folded "last first" that lists are ordered by (core.text).
    search_key = models.CharField(
        max_length=255, editable=False, default="", db_default="", db_index=True
    )
    sort_key = models.CharField(
        max_length=255, editable=False, default="", db_default="", db_index=True
    )

    history = HistoricalRecords(excluded_fields=list(KEY_FIELDS))
    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["employee_number"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(employee_number=""), name="employee_number_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(shift__in=["day", "evening", "night"]), name="employee_shift_valid"
            ),
            models.CheckConstraint(
                condition=Q(termination_date__isnull=True)
                | Q(termination_date__gte=F("hire_date")),
                name="employee_terminated_after_hire",
            ),
            models.CheckConstraint(
                condition=Q(manager__isnull=True) | ~Q(manager=F("pk")),
                name="employee_not_own_manager",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.employee_number})"

    def save(self, *args, **kwargs):
        fill_keys(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and KEY_SOURCES & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *KEY_FIELDS}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def effective_site(self) -> str:
        return self.site or self.department.site

    def is_active_on(self, day: datetime.date) -> bool:
        return is_active_on(self.hire_date, self.termination_date, day)


class Skill(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=150)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        help_text="Owning department; blank for a universal service skill.",
    )
    recert_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months a sign-off stays valid; blank = never expires."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="skill_code_not_blank"),
            models.CheckConstraint(
                condition=Q(recert_months__isnull=True) | Q(recert_months__gte=1),
                name="skill_recert_months_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def is_universal(self) -> bool:
        return self.department_id is None


class Signoff(Revocable):
    """An assessor's record that an employee reached a level on a skill. Never edited or deleted."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="signoffs")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="signoffs")
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    assessed_on = models.DateField()
    assessor = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="signoffs_given")
    evidence = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta(Revocable.Meta):
        ordering = ["-assessed_on", "employee__employee_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4), name="signoff_level_1_to_4"
            ),
            models.CheckConstraint(
                condition=~Q(assessor=F("employee")), name="signoff_assessor_not_self"
            ),
            # Revoked sign-offs stay in the history and do not block their correction.
            models.UniqueConstraint(
                fields=["employee", "skill", "assessed_on", "level"],
                condition=Q(revoked_on__isnull=True),
                name="signoff_natural_key",
            ),
            *Revocable.Meta.constraints,
            Revocable.revoked_after("assessed_on", "signoff_revoked_after_assessed"),
        ]
        indexes = [models.Index(fields=["skill", "employee"])]

    def __str__(self) -> str:
        return (
            f"{self.employee.employee_number} {self.skill.code} L{self.level} on {self.assessed_on}"
        )

    @property
    def expires_on(self) -> datetime.date | None:
        return signoff_expires_on(self.assessed_on, self.skill.recert_months)

    def is_valid_on(self, day: datetime.date) -> bool:
        return signoff_valid_on(self.assessed_on, self.expires_on, self.revoked_on, day)
