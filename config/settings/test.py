"""Test settings: fast hashing, plain static storage, a fixed secret."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Sign-in throttling is switched on by the tests of it; elsewhere `client.login()` (which
# passes no request) and many sign-ins from one address must not trip it.
AXES_ENABLED = False

# Tasks run at once, inside the request or command that enqueues them; the test of the real
# worker sets TASKS_BACKEND for its db_worker process.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
