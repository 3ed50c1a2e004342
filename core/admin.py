"""Admin building blocks shared by the apps: audited history, revocation, presence filters."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from core.text import fold

REVOKED_BEFORE_RECORD = "The revocation date cannot be before %(date)s, the date of the record."


class AuditedAdmin(SimpleHistoryAdmin):
    """An admin whose history page shows who changed what and when, and cannot change it.

    simple-history's historical-record page saves a POSTed form ("revert"); audit history is
    evidence, so that page is view-only here and a POST to it is refused.
    """

    def revert_disabled(self, request, obj=None):
        return True

    def get_search_results(self, request, queryset, search_term):
        """The term as typed, or folded (core.text): people's stored search keys are folded, so
        "odegard" or "ODEGÅRD" finds Ødegård, while codes and titles still match as typed."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded and folded != search_term:
            more, more_duplicates = super().get_search_results(request, queryset, folded)
            results = results | more
            duplicates = duplicates or more_duplicates
        return results, duplicates

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("The history of a record cannot be changed.")
        return super().history_form_view(request, object_id, version_id, extra_context)


def presence_filter(field: str, title: str, present: str, absent: str):
    """A list filter on whether `field` is filled in (revoked, ended, closed…)."""

    class PresenceFilter(admin.SimpleListFilter):
        parameter_name = field

        def lookups(self, request, model_admin):
            return [("yes", present), ("no", absent)]

        def queryset(self, request, queryset):
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "no"})
            return queryset

    PresenceFilter.title = title
    return PresenceFilter


RevokedFilter = presence_filter("revoked_on", "revoked", "Revoked", "Not revoked")


class RevocationForm(forms.ModelForm):
    """Refuses a revocation dated before the record, even when the record's date is read-only."""

    record_date_field: str = ""

    def clean(self):
        data = super().clean()
        revoked_on = data.get("revoked_on")
        record_date = data.get(self.record_date_field) or getattr(
            self.instance, self.record_date_field
        )
        if revoked_on and record_date and revoked_on < record_date:
            self.add_error("revoked_on", REVOKED_BEFORE_RECORD % {"date": record_date})
        return data


class RevocableAdmin(AuditedAdmin):
    """A record that is never edited or deleted: once saved, only its revocation can be set."""

    record_fields: tuple[str, ...] = ()
    readonly_fields = ("recorded_by", "recorded_at", "revoked_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        return (*self.record_fields, *self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        if obj.revoked_on is None:
            obj.revoked_by = None
        elif obj.revoked_by is None:
            obj.revoked_by = request.user
        super().save_model(request, obj, form, change)
