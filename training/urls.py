"""URLs of the training app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

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
    path("signoffs/new/", views.signoff_create_view, name="signoff-create"),
    path("signoffs/<int:pk>/revoke/", views.signoff_revoke_view, name="signoff-revoke"),
    path("modules/", views.ModuleListView.as_view(), name="module-list"),
    path("modules/<str:code>/review/", views.module_review_view, name="module-review"),
    path("results/new/", views.completion_create_view, name="completion-create"),
    path("results/class/", views.completion_batch_view, name="completion-batch"),
    path("new-hires/", views.NewHireListView.as_view(), name="new-hires"),
]
