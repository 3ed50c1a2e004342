"""Admin of uploaded workbooks: read-only, made by the import pages."""

from django.contrib import admin

from organisation.models import WorkbookUpload


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
