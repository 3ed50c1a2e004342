"""Admin of uploaded workbooks and sent reminders: read-only, made by the pages and commands."""

from django.contrib import admin

from organisation.models import Reminder, WorkbookUpload


@admin.register(WorkbookUpload)
class WorkbookUploadAdmin(admin.ModelAdmin):
    """Uploaded workbooks: who imported which file when; made by the import pages."""

    list_display = ("file_name", "kind", "uploaded_by", "uploaded_at", "confirmed_at", "size")
    list_select_related = ("uploaded_by",)
    list_filter = ("kind", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("file_name", "uploaded_by__username", "sha256")
    exclude = ("content",)
    readonly_fields = ("token", "kind", "uploaded_by", "file_name", "size", "sha256")
    readonly_fields += ("uploaded_at", "preview", "confirmed_at", "result")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Reminders e-mailed by send_reminders: who was told what, when. A row without "sent" is
    a claim in progress (or one a run left behind, taken over by the next run)."""

    list_display = ("key", "kind", "employee", "email", "subject", "sent_at")
    list_select_related = ("employee",)
    list_filter = ("kind", ("sent_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "email", "subject", "employee__search_key")
    date_hierarchy = "claimed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
