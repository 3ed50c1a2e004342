"""Root URL configuration: every URL name here must have an entry in core.access.ACCESS."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from skills.forms import PasswordResetForm

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("skills/", include("skills.urls")),
    path("training/", include("training.urls")),
    path("tiers/", include("certificates.urls")),
    path("tiers/", include("organisation.urls")),
    path("buddies/", include("buddies.urls")),
    path("verify/", include("certificates.verify_urls")),
    path("", include("core.urls")),
]
