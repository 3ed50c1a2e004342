"""URLs of the buddies app; every name here needs an entry in core.access.ACCESS."""

from django.urls import path

from buddies import views

app_name = "buddies"

urlpatterns = [
    path("", views.suggestions, name="suggestions"),
    path("pairings/", views.PairingListView.as_view(), name="pairings"),
    path("pairings/<int:pk>/end/", views.pairing_end, name="pairing-end"),
    path("exclusions/", views.exclusions, name="exclusions"),
]
