"""Admin for workflow modules, completions, training sessions with attendance."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from core.admin import AuditedAdmin
from training.models import (
    Attendance,
    ModuleCompletion,
    TrainingSession,
    WorkflowModule,
)

HOURS_ABOVE_DURATION = "At most the session's %(duration)s hours."
TRAINER_ATTENDS = "The trainer is not an attendee of their own session."
ATTENDEE_NOT_ACTIVE = "%(employee)s is not employed on %(date)s."


@admin.register(WorkflowModule)
class WorkflowModuleAdmin(AuditedAdmin):
    list_display = (
        "code",
        "title",
        "version",
        "owner",
        "last_reviewed_on",
        "review_due_on",
        "pass_mark",
        "is_new_hire",
    )
    list_select_related = ("owner",)
    list_filter = ("is_new_hire", "owner__department")
    search_fields = ("code", "title", "owner__search_key")
    autocomplete_fields = ("owner",)
    ordering = ("code",)


@admin.register(ModuleCompletion)
class ModuleCompletionAdmin(AuditedAdmin):
    list_display = ("employee", "module", "completed_on", "score", "passed", "version")
    list_select_related = ("employee", "module")
    list_filter = ("module", "employee__department")
    search_fields = (
        "employee__search_key",
        "module__code",
    )
    date_hierarchy = "completed_on"
    autocomplete_fields = ("employee", "module")
    readonly_fields = ("recorded_by", "recorded_at")

    @admin.display(boolean=True)
    def passed(self, obj):
        return obj.passed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


def attendance_problems(session: TrainingSession, employee, hours) -> dict[str, str]:
    """The data errors of one attendee of `session` (which may be unsaved), by form field."""
    problems = {}
    if hours is not None and session.duration_hours is not None and hours > session.duration_hours:
        problems["hours"] = HOURS_ABOVE_DURATION % {"duration": session.duration_hours}
    if employee is not None and employee.pk == session.trainer_id:
        problems["employee"] = TRAINER_ATTENDS
    elif employee is not None and session.date and not employee.is_active_on(session.date):
        problems["employee"] = ATTENDEE_NOT_ACTIVE % {"employee": employee, "date": session.date}
    return problems


class AttendanceForm(forms.ModelForm):
    """Hours may be left blank for the whole session; attendee and hours must fit the session."""

    class Meta:
        model = Attendance
        fields = ("session", "employee", "hours")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].required = False
        self.fields["hours"].help_text = "Blank: the whole session."

    def clean(self):
        data = super().clean()
        session = data.get("session")
        if session is not None:
            for field, problem in attendance_problems(
                session, data.get("employee"), data.get("hours")
            ).items():
                self.add_error(field, problem)
        return data


class AttendanceInlineForm(AttendanceForm):
    class Meta(AttendanceForm.Meta):
        fields = ("employee", "hours")


class AttendanceInlineFormSet(forms.BaseInlineFormSet):
    """Checks every attendee, new or not, against the session as it is being saved."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            data = form.cleaned_data
            problems = attendance_problems(self.instance, data.get("employee"), data.get("hours"))
            for field, problem in problems.items():
                form.add_error(field, problem)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    form = AttendanceInlineForm
    formset = AttendanceInlineFormSet
    autocomplete_fields = ("employee",)
    extra = 1


@admin.register(TrainingSession)
class TrainingSessionAdmin(AuditedAdmin):
    inlines = (AttendanceInline,)
    list_display = (
        "session_ref",
        "date",
        "kind",
        "host_department",
        "trainer",
        "duration_hours",
        "attendee_count",
    )
    list_select_related = ("host_department", "trainer")
    list_filter = ("kind", "host_department__side", "host_department")
    search_fields = (
        "session_ref",
        "trainer__search_key",
    )
    date_hierarchy = "date"
    autocomplete_fields = ("trainer", "skills")
    readonly_fields = ("recorded_by", "recorded_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(attendee_count=Count("attendances"))

    @admin.display(description="attendees", ordering="attendee_count")
    def attendee_count(self, obj):
        return obj.attendee_count

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for attendance_form in formset.forms:
            if attendance_form.cleaned_data.get("hours") is None:
                attendance_form.instance.hours = form.instance.duration_hours
        super().save_formset(request, form, formset, change)


@admin.register(Attendance)
class AttendanceAdmin(AuditedAdmin):
    form = AttendanceForm
    list_display = ("session", "session_date", "employee", "hours")
    list_select_related = ("session", "employee")
    list_filter = ("session__kind", "session__host_department", "employee__department")
    search_fields = (
        "session__session_ref",
        "employee__search_key",
    )
    date_hierarchy = "session__date"
    autocomplete_fields = ("session", "employee")

    @admin.display(description="date", ordering="session__date")
    def session_date(self, obj):
        return obj.session.date

    def save_model(self, request, obj, form, change):
        if obj.hours is None:
            obj.hours = obj.session.duration_hours
        super().save_model(request, obj, form, change)
