"""URLs of the skills app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

from skills import views

app_name = "skills"

urlpatterns: list = [
    # Coverage and expiring sign-offs (issue 4)
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/<str:code>/help/", views.CoverageHelpView.as_view(), name="coverage-help"),
    path("expiring/", views.ExpiringView.as_view(), name="expiring"),
]
