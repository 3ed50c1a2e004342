"""URLs of the skills app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

from skills import views

app_name = "skills"

urlpatterns: list = [
    # Sign-offs
    path("signoffs/new/", views.signoff_create_view, name="signoff-create"),
    path("signoffs/<int:pk>/revoke/", views.signoff_revoke_view, name="signoff-revoke"),
    # Coverage and expiring sign-offs
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/help/", views.CoverageHelpView.as_view(), name="coverage-help"),
    path("expiring/", views.ExpiringView.as_view(), name="expiring"),
]
