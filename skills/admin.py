"""Admin for departments, employees, skills and sign-offs."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from core.admin import AuditedAdmin, RevocableAdmin, RevocationForm, RevokedFilter
from skills.models import Department, Employee, Signoff, Skill


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("code", "name", "side", "site")
    list_filter = ("side", "site")
    search_fields = ("code", "name")


class EmployedFilter(admin.SimpleListFilter):
    title = "employment"
    parameter_name = "employed"

    def lookups(self, request, model_admin):
        return [("yes", "Employed today"), ("no", "Left")]

    def queryset(self, request, queryset):
        employed = Q(termination_date__isnull=True) | Q(termination_date__gt=timezone.localdate())
        if self.value() == "yes":
            return queryset.filter(employed)
        if self.value() == "no":
            return queryset.exclude(employed)
        return queryset


@admin.register(Employee)
class EmployeeAdmin(AuditedAdmin):
    list_display = (
        "employee_number",
        "last_name",
        "first_name",
        "department",
        "effective_site",
        "shift",
        "hire_date",
        "termination_date",
        "manager",
    )
    list_select_related = ("department", "manager")
    list_filter = (EmployedFilter, "department__side", "department", "shift")
    search_fields = ("search_key", "email")
    date_hierarchy = "hire_date"
    autocomplete_fields = ("manager", "user")
    fieldsets = (
        (None, {"fields": ("employee_number", "first_name", "last_name", "email", "user")}),
        ("Work", {"fields": ("department", "site", "shift", "manager")}),
        ("Employment", {"fields": ("hire_date", "termination_date")}),
    )

    @admin.display(description="site")
    def effective_site(self, obj):
        return obj.effective_site

    def has_delete_permission(self, request, obj=None):
        # Termination keeps the history; an employee is never deleted.
        return False


@admin.register(Skill)
class SkillAdmin(AuditedAdmin):
    list_display = ("code", "name", "department", "recert_months")
    list_select_related = ("department",)
    list_filter = ("department__side", "department")
    search_fields = ("code", "name")


class SignoffForm(RevocationForm):
    record_date_field = "assessed_on"

    class Meta:
        model = Signoff
        fields = (
            "employee",
            "skill",
            "level",
            "assessed_on",
            "assessor",
            "evidence",
            "revoked_on",
            "revoke_reason",
        )


@admin.register(Signoff)
class SignoffAdmin(RevocableAdmin):
    form = SignoffForm
    record_fields = ("employee", "skill", "level", "assessed_on", "assessor", "evidence")
    list_display = (
        "employee",
        "skill",
        "level",
        "assessed_on",
        "assessor",
        "expires_on",
        "revoked_on",
    )
    list_select_related = ("employee", "skill", "assessor")
    list_filter = (RevokedFilter, "level", "skill__department", "employee__department")
    search_fields = (
        "employee__search_key",
        "skill__code",
        "skill__name",
        "assessor__employee_number",
    )
    date_hierarchy = "assessed_on"
    autocomplete_fields = ("employee", "skill", "assessor")
    fieldsets = (
        (None, {"fields": record_fields}),
        ("Revocation", {"fields": ("revoked_on", "revoke_reason", "revoked_by")}),
        ("Recorded", {"fields": ("recorded_by", "recorded_at")}),
    )
