from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:token>/", views.job_detail, name="job"),
    path("jobs/<uuid:token>/status/", views.job_status, name="job-status"),
    path("jobs/<uuid:token>/download/", views.job_download, name="job-download"),
]
