"""Admin for tiers and their skill requirements, certifications, pay periods and payroll rows."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone

from certificates.models import (
    CertificateCounter,
    Certification,
    PayPeriod,
    PayrollRow,
    Tier,
    TierSkillRequirement,
)
from certificates.services import certification_refusals
from core.admin import (
    AuditedAdmin,
    RevocableAdmin,
    RevocationForm,
    RevokedFilter,
    presence_filter,
)

ClosedFilter = presence_filter("closed_at", "status", "Closed", "Open")


class TierSkillRequirementInline(admin.TabularInline):
    model = TierSkillRequirement
    autocomplete_fields = ("skill",)
    extra = 1


@admin.register(Tier)
class TierAdmin(AuditedAdmin):
    inlines = (TierSkillRequirementInline,)
    list_display = (
        "rank",
        "name",
        "differential_per_hour",
        "min_cross_training_hours",
        "min_other_side_skills",
        "min_tenure_days",
        "pay_code",
    )
    list_display_links = ("rank", "name")
    search_fields = ("name",)
    autocomplete_fields = ("required_modules",)


@admin.register(TierSkillRequirement)
class TierSkillRequirementAdmin(AuditedAdmin):
    list_display = ("tier", "skill", "min_level")
    list_select_related = ("tier", "skill")
    list_filter = ("tier", "min_level")
    search_fields = ("tier__name", "skill__code", "skill__name")
    autocomplete_fields = ("tier", "skill")


class CertificationForm(RevocationForm):
    """A new certification is held to the same rules as the certify page, unless it carries an
    override reason (a historical record migrated without eligibility, kept in the history)."""

    record_date_field = "certified_on"

    def clean(self):
        data = super().clean()
        fields = ("employee", "tier", "certified_on", "certified_by")
        if (
            self.instance.pk is None
            and not data.get("override_reason")
            and all(data.get(name) for name in fields)
        ):
            refusals = certification_refusals(
                **{name: data[name] for name in fields}, today=timezone.localdate()
            )
            for field, messages in refusals.items():
                for message in messages:
                    self.add_error(field, message)
        return data

    class Meta:
        model = Certification
        fields = (
            "employee",
            "tier",
            "certified_on",
            "certified_by",
            "override_reason",
            "revoked_on",
            "revoke_reason",
        )


@admin.register(Certification)
class CertificationAdmin(RevocableAdmin):
    form = CertificationForm
    record_fields = ("employee", "tier", "certified_on", "certified_by", "override_reason")
    readonly_fields = (
        "certificate_number",
        "verification_code",
        "recorded_by",
        "recorded_at",
        "revoked_by",
    )
    list_display = (
        "certificate_number",
        "employee",
        "tier",
        "certified_on",
        "certified_by",
        "overridden",
        "revoked_on",
    )
    list_select_related = ("employee", "tier", "certified_by")
    list_filter = (RevokedFilter, "tier", "employee__department")
    search_fields = (
        "employee__search_key",
        "certified_by__employee_number",
        "certificate_number",
        "verification_code",
    )
    date_hierarchy = "certified_on"
    autocomplete_fields = ("employee", "tier", "certified_by")
    fieldsets = (
        (None, {"fields": record_fields}),
        ("Revocation", {"fields": ("revoked_on", "revoke_reason", "revoked_by")}),
        (
            "Certificate",
            {"fields": ("certificate_number", "verification_code", "recorded_by", "recorded_at")},
        ),
    )

    @admin.display(boolean=True, description="override")
    def overridden(self, obj):
        return bool(obj.override_reason)


@admin.register(PayPeriod)
class PayPeriodAdmin(AuditedAdmin):
    list_display = ("start", "end", "is_closed", "closed_at", "closed_by", "row_count")
    list_select_related = ("closed_by",)
    list_filter = (ClosedFilter,)
    date_hierarchy = "start"
    readonly_fields = ("closed_at", "closed_by")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(row_count=Count("frozen_rows"))

    @admin.display(boolean=True, description="closed")
    def is_closed(self, obj):
        return obj.is_closed

    @admin.display(description="frozen rows", ordering="row_count")
    def row_count(self, obj):
        return obj.row_count

    def get_readonly_fields(self, request, obj=None):
        # A closed period's dates belong to its frozen export.
        if obj is not None and obj.is_closed:
            return ("start", "end", *self.readonly_fields)
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        # Deleting a closed period would delete its frozen rows with it.
        if obj is not None and obj.is_closed:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(PayrollRow)
class PayrollRowAdmin(admin.ModelAdmin):
    """Frozen export rows: visible, never added, changed or deleted by hand."""

    list_display = (
        "period",
        "employee_number",
        "last_name",
        "first_name",
        "department_code",
        "paid_tier_rank",
        "tier_name",
        "differential_per_hour",
        "previous_tier_rank",
        "change",
        "lapsed",
    )
    list_select_related = ("period",)
    list_filter = ("period", "change", "lapsed", "department_code")
    search_fields = ("employee_number", "first_name", "last_name", "department_code")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateCounter)
class CertificateCounterAdmin(admin.ModelAdmin):
    """Each year's last certificate number: visible, moved on only by issuing certificates."""

    list_display = ("year", "last")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
