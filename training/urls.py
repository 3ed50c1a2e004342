"""URLs of the training app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path
from django.views.generic import RedirectView

from training import views

app_name = "training"

urlpatterns: list = [
    path("sessions/", views.SessionListView.as_view(), name="session-list"),
    path("sessions/new/", views.session_create, name="session-create"),
    path("sessions/<str:session_ref>/", views.session_detail, name="session-detail"),
    path(
        "sessions/<str:session_ref>/correct/",
        views.session_correct_view,
        name="session-correct",
    ),
    path("people/search/", views.employee_search, name="employee-search"),
    path(
        "people/<str:employee_number>/skills/",
        views.employee_skills,
        name="employee-skills",
    ),
    # Sign-offs moved to the skills app; the old addresses people kept still lead there.
    path(
        "signoffs/new/",
        RedirectView.as_view(pattern_name="skills:signoff-create", query_string=True),
        name="signoff-create",
    ),
    path(
        "signoffs/<int:pk>/revoke/",
        RedirectView.as_view(pattern_name="skills:signoff-revoke", query_string=True),
        name="signoff-revoke",
    ),
    path("modules/", views.ModuleListView.as_view(), name="module-list"),
    path("modules/<str:code>/review/", views.module_review_view, name="module-review"),
    path("results/new/", views.completion_create_view, name="completion-create"),
    path("results/class/", views.completion_batch_view, name="completion-batch"),
    path("new-hires/", views.NewHireListView.as_view(), name="new-hires"),
]
