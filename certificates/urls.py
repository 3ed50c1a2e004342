"""URLs of the certificates app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path  # noqa: F401

app_name = "certificates"

urlpatterns: list = []
