"""URLs of the certificates app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

from certificates import views, workbook_views

app_name = "certificates"

urlpatterns: list = [
    # Progress (issue 4)
    path("me/", views.my_progress, name="my-progress"),
    path("people/<str:employee_number>/", views.employee_progress, name="employee-progress"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/export.xlsx", views.team_export, name="team-export"),
    # Organisation workbook: import with preview and confirm, export (issue 3)
    path("import/workbook/", workbook_views.workbook_upload, name="workbook-upload"),
    path("import/roster/", workbook_views.roster_upload, name="roster-upload"),
    path("import/<uuid:token>/", workbook_views.workbook_preview, name="workbook-preview"),
    path("import/<uuid:token>/confirm/", workbook_views.workbook_confirm, name="workbook-confirm"),
    path("export/organisation.xlsx", workbook_views.workbook_export, name="workbook-export"),
]
