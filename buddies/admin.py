"""Admin for buddy pairings: ended, never deleted; who approved a pairing is recorded."""

from django.contrib import admin

from buddies.models import BuddyExclusion, BuddyPairing, BuddyUnavailability
from core.admin import AuditedAdmin, presence_filter

OpenFilter = presence_filter("ended_on", "status", "Ended", "Open")


@admin.register(BuddyPairing)
class BuddyPairingAdmin(AuditedAdmin):
    list_display = ("seeker", "buddy", "started_on", "ended_on", "approved_by")
    list_select_related = ("seeker", "buddy", "approved_by")
    list_filter = (OpenFilter, "seeker__department", "buddy__department", "buddy__shift")
    search_fields = (
        "seeker__search_key",
        "buddy__search_key",
    )
    date_hierarchy = "started_on"
    autocomplete_fields = ("seeker", "buddy")
    readonly_fields = ("approved_by", "reasons")

    def save_model(self, request, obj, form, change):
        if not change and obj.approved_by is None:
            obj.approved_by = request.user
        super().save_model(request, obj, form, change)


class RecordedByAdmin(AuditedAdmin):
    """Records who entered the row."""

    readonly_fields = ("recorded_by", "recorded_at")

    def save_model(self, request, obj, form, change):
        if not change and obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BuddyExclusion)
class BuddyExclusionAdmin(RecordedByAdmin):
    list_display = ("first", "second", "reason", "recorded_by", "recorded_at")
    list_select_related = ("first", "second", "recorded_by")
    search_fields = (
        "first__search_key",
        "second__search_key",
    )
    autocomplete_fields = ("first", "second")

    def save_model(self, request, obj, form, change):
        if obj.first_id and obj.second_id and obj.first_id > obj.second_id:
            obj.first_id, obj.second_id = obj.second_id, obj.first_id
        super().save_model(request, obj, form, change)


@admin.register(BuddyUnavailability)
class BuddyUnavailabilityAdmin(RecordedByAdmin):
    list_display = ("buddy", "starts_on", "ends_on", "reason", "recorded_by")
    list_select_related = ("buddy", "recorded_by")
    search_fields = ("buddy__search_key",)
    date_hierarchy = "starts_on"
    autocomplete_fields = ("buddy",)
