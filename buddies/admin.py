"""Admin for buddy pairings: ended, never deleted; who approved a pairing is recorded."""

from django.contrib import admin

from buddies.models import BuddyPairing
from core.admin import AuditedAdmin, presence_filter

OpenFilter = presence_filter("ended_on", "status", "Ended", "Open")


@admin.register(BuddyPairing)
class BuddyPairingAdmin(AuditedAdmin):
    list_display = ("seeker", "buddy", "started_on", "ended_on", "approved_by")
    list_select_related = ("seeker", "buddy", "approved_by")
    list_filter = (OpenFilter, "seeker__department", "buddy__department", "buddy__shift")
    search_fields = (
        "seeker__employee_number",
        "seeker__first_name",
        "seeker__last_name",
        "buddy__employee_number",
        "buddy__first_name",
        "buddy__last_name",
    )
    date_hierarchy = "started_on"
    autocomplete_fields = ("seeker", "buddy")
    readonly_fields = ("approved_by", "reasons")

    def save_model(self, request, obj, form, change):
        if not change and obj.approved_by is None:
            obj.approved_by = request.user
        super().save_model(request, obj, form, change)
