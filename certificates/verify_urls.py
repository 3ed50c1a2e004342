"""The public verification pages, at /verify/; every name here is public in core.access.ACCESS."""

from django.urls import path

from certificates import verification

app_name = "verify"

urlpatterns = [
    path("", verification.verify_form, name="form"),
    path("<str:code>/", verification.verify_code, name="code"),
]
