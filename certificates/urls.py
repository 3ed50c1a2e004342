"""URLs of the certificates app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns: list = [
    # Progress
    path("me/", views.my_progress, name="my-progress"),
    path("people/<str:employee_number>/", views.employee_progress, name="employee-progress"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/export.xlsx", views.team_export, name="team-export"),
    # Payroll
    path("payroll/", views.payroll, name="payroll"),
    path("payroll/export/", views.payroll_export, name="payroll-export"),
    path("payroll/periods/add/", views.payroll_add_periods, name="payroll-add-periods"),
    path("payroll/<str:start>/close/", views.payroll_close, name="payroll-close"),
    # Certification
    path("people/<str:employee_number>/certify/", views.certify, name="certify"),
    path("team/certify/", views.certify_bulk, name="certify-bulk"),
    # Certificates
    path(
        "certificates/<str:number>.pdf",
        views.certificate_download,
        name="certificate-pdf",
    ),
    path("certificates/", views.certificate_archive, name="certificate-archive"),
    path(
        "certifications/<int:pk>/revoke/",
        views.certification_revoke_view,
        name="certification-revoke",
    ),
]
