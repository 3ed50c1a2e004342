"""URLs of the organisation app; every name here needs an entry in core.access.ACCESS.

They keep the paths they had under /tiers/ before the workbook pages had an app of their own.
"""

from django.urls import path

from organisation import views

app_name = "organisation"

urlpatterns: list = [
    # The organisation workbook: import with preview and confirm, export
    path("import/workbook/", views.workbook_upload, name="workbook-upload"),
    path("import/roster/", views.roster_upload, name="roster-upload"),
    path("import/<uuid:token>/", views.workbook_preview, name="workbook-preview"),
    path("import/<uuid:token>/confirm/", views.workbook_confirm, name="workbook-confirm"),
    path("import/<uuid:token>/changes.xlsx", views.workbook_changes, name="workbook-changes"),
    path("export/organisation.xlsx", views.workbook_export, name="workbook-export"),
    path("export/roster.xlsx", views.roster_export, name="roster-export"),
]
