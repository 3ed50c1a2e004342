"""Tiers and their requirements, certifications with their certificates, pay periods."""

from collections import Counter

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from certificates import codes
from certificates.pay import PayChange
from core.models import Revocable
from core.text import day_text
from skills.models import Employee, Level, Skill
from training.models import WorkflowModule


class Tier(models.Model):
    """A rank with a pay differential; every requirement is optional (blank = not required)."""

    rank = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=60)
    differential_per_hour = models.DecimalField(max_digits=7, decimal_places=2)
    min_cross_training_hours = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True
    )
    min_other_side_skills = models.PositiveSmallIntegerField(null=True, blank=True)
    min_tenure_days = models.PositiveIntegerField(null=True, blank=True)
    required_modules = models.ManyToManyField(
        WorkflowModule, blank=True, related_name="required_by_tiers"
    )
    description = models.TextField(blank=True)
    pay_code = models.CharField(
        max_length=20,
        blank=True,
        help_text="The payroll system's earnings code for this differential, e.g. XT2.",
    )

    history = HistoricalRecords(m2m_fields=[required_modules])

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(condition=Q(rank__gte=1), name="tier_rank_positive"),
            models.CheckConstraint(
                condition=Q(differential_per_hour__gte=0), name="tier_differential_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_cross_training_hours__isnull=True)
                | Q(min_cross_training_hours__gte=0),
                name="tier_min_hours_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TierSkillRequirement(models.Model):
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="skill_requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="tier_requirements")
    min_level = models.PositiveSmallIntegerField(choices=Level.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["tier__rank", "skill__code"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "skill"], name="tier_skill_once"),
            models.CheckConstraint(
                condition=Q(min_level__gte=1, min_level__lte=4), name="tier_skill_level_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tier.name}: {self.skill.code} at level {self.min_level}"


def new_verification_code() -> str:
    return codes.new_code()


class CertificateCounter(models.Model):
    """The last certificate number given in a year; its row is locked while numbers are taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def take_numbers(year: int, count: int) -> int:
    """Takes `count` numbers of `year` and returns the first.

    One `UPDATE … RETURNING` moves the year's counter on and row-locks it until the caller's
    transaction ends, so two transactions numbering at once queue on the row and never give
    out the same number, and a rolled-back transaction gives its numbers back. A year's first
    number also creates its row (a clash with another first is ignored, then the update runs).
    """
    table = connection.ops.quote_name(CertificateCounter._meta.db_table)
    sql = f"UPDATE {table} SET last = last + %s WHERE year = %s RETURNING last"
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, year])
        row = cursor.fetchone()
        if row is None:
            CertificateCounter.objects.bulk_create(
                [CertificateCounter(year=year)], ignore_conflicts=True
            )
            cursor.execute(sql, [count, year])
            row = cursor.fetchone()
    return row[0] - count + 1


def number_certifications(certifications: list["Certification"]) -> None:
    """Gives each certification without a certificate number the next numbers of its year,
    in the order of their certified dates. Must run inside a transaction."""
    missing = sorted(
        (c for c in certifications if not c.certificate_number),
        key=lambda c: c.certified_on,
    )
    counts = Counter(c.certified_on.year for c in missing)
    following = {year: take_numbers(year, count) for year, count in sorted(counts.items())}
    for certification in missing:
        year = certification.certified_on.year
        certification.certificate_number = codes.certificate_number(year, following[year])
        following[year] += 1


class CertificationQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """Numbers the new certifications in the same transaction as it writes them."""
        objs = list(objs)
        with transaction.atomic(using=self.db, savepoint=False):
            number_certifications(objs)
            return super().bulk_create(objs, *args, **kwargs)


class Certification(Revocable):
    """A manager's certification of an employee at a tier; revoked, never deleted."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="certifications")
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="certifications")
    certified_on = models.DateField()
    certified_by = models.ForeignKey(
        Employee, on_delete=models.PROTECT, related_name="certifications_given"
    )
    override_reason = models.TextField(
        blank=True, help_text="Only for migrated historical records certified without eligibility."
    )
    verification_code = models.CharField(
        max_length=32, unique=True, default=new_verification_code, editable=False
    )
    certificate_number = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        help_text="CT-<year>-<6 digits>, sequential within the year of the certified date.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    objects = CertificationQuerySet.as_manager()

    class Meta(Revocable.Meta):
        ordering = ["-certified_on", "employee__employee_number"]
        constraints = [
            # Revoked certifications stay in the history and do not block their correction.
            models.UniqueConstraint(
                fields=["employee", "tier", "certified_on"],
                condition=Q(revoked_on__isnull=True),
                name="certification_natural_key",
            ),
            models.CheckConstraint(
                condition=~Q(certified_by=F("employee")), name="certification_not_by_self"
            ),
            *Revocable.Meta.constraints,
            Revocable.revoked_after("certified_on", "certification_revoked_after_certified"),
        ]

    def __str__(self) -> str:
        return f"{self.employee.employee_number} {self.tier.name} on {self.certified_on}"

    def save(self, *args, **kwargs):
        """A new certification takes its number in the transaction that writes it."""
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            number_certifications([self])
            super().save(*args, **kwargs)

    @property
    def grouped_code(self) -> str:
        return codes.grouped(self.verification_code)


class PayPeriod(models.Model):
    """A payroll date range; closing it freezes its export rows."""

    start = models.DateField(unique=True)
    end = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="pay_period_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=False) | Q(closed_by__isnull=True),
                name="pay_period_closed_by_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{day_text(self.start)} – {day_text(self.end)}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class PayrollRow(models.Model):
    """One frozen row of a closed pay period's export, exactly as it was exported."""

    Change = models.TextChoices("Change", [(c.name, c.value) for c in PayChange])

    period = models.ForeignKey(PayPeriod, on_delete=models.CASCADE, related_name="frozen_rows")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    employee_number = models.CharField(max_length=20)
    last_name = models.CharField(max_length=100)
    first_name = models.CharField(max_length=100)
    department_code = models.CharField(max_length=20)
    paid_tier_rank = models.PositiveSmallIntegerField()
    tier_name = models.CharField(max_length=60, blank=True)
    differential_per_hour = models.DecimalField(max_digits=7, decimal_places=2)
    pay_code = models.CharField(max_length=20, blank=True)
    previous_tier_rank = models.PositiveSmallIntegerField()
    change = models.CharField(max_length=7, choices=Change.choices)
    lapsed = models.BooleanField(default=False)
    lapsed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["period", "employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "employee"], name="payroll_row_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(change__in=[c.value for c in PayChange]),
                name="payroll_row_change_valid",
            ),
            models.CheckConstraint(
                condition=Q(lapsed=False, lapsed_reason="")
                | (Q(lapsed=True) & ~Q(lapsed_reason="")),
                name="payroll_row_lapsed_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(change=PayChange.NEW, previous_tier_rank=0, paid_tier_rank__gt=0)
                | Q(change=PayChange.REMOVED, previous_tier_rank__gt=0, paid_tier_rank=0)
                | Q(change=PayChange.SAME, paid_tier_rank=F("previous_tier_rank"))
                | Q(
                    change=PayChange.UP,
                    previous_tier_rank__gt=0,
                    paid_tier_rank__gt=F("previous_tier_rank"),
                )
                | Q(
                    change=PayChange.DOWN,
                    paid_tier_rank__gt=0,
                    paid_tier_rank__lt=F("previous_tier_rank"),
                ),
                name="payroll_row_change_matches_ranks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.employee_number} tier {self.paid_tier_rank}"
