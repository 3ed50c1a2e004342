"""Settings shared by every environment; the environment variables switch production behaviour."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Absolute base URL printed on certificates so that anyone can verify them.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "skills",
    "training",
    "certificates",
    "buddies",
    "organisation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.headers.SecurityHeadersMiddleware",
    "core.access.AccessMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one login, or
# from one client address, that login or address waits AXES_COOLOFF_MINUTES; both sign-in
# pages (the tracker's and the admin's) go through it, and every attempt is logged (admin:
# Axes access attempts and logs).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_address"

# E-mail (password resets): the console in development, SMTP from the environment otherwise.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tier Tracker <tracker@localhost>")

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# DATABASE_URL selects the database: SQLite beside manage.py by default,
# postgres://user:password@host:5432/name (psycopg 3) in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the one write lock from the start of their transaction (IMMEDIATE)
    # and wait for it up to the timeout, instead of failing with "database is locked" when
    # two requests write at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "table"}

# Content security policy (django-csp): everything from the tracker itself, nothing inline.
# The one exception is the standalone 500 page's own style block, allowed by its hash
# (tests/core/test_headers.py keeps the hash and the template in step).
ERROR_PAGE_STYLE_HASH = "'sha256-g0P9H4+ywDNBgTKKI8rX2dwvR73zGQP+9H25DTahkY4='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, ERROR_PAGE_STYLE_HASH],
        "img-src": [SELF, "data:"],  # the favicon is a data: URL
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads: workbooks above this size are refused before they are read.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Business rules that are settings, not hidden constants (DOMAIN.md).
TRACKER = {
    "REVIEW_INTERVAL_MONTHS": 18,
    "EXPIRY_WARNING_DAYS": 60,
    # send_reminders: an employee is told this many days before a sign-off expires (once each).
    "REMINDER_DAYS": (60, 30, 7),
    # Background jobs: downloads longer than this many rows, certificate zips of more than this
    # many certificates and workbooks larger than this many bytes run as a job with a progress
    # bar; a job's result is kept this many days.
    "JOB_ABOVE_ROWS": 2000,
    "JOB_ABOVE_CERTIFICATES": 100,
    "JOB_ABOVE_BYTES": 256 * 1024,
    "JOB_RESULT_DAYS": 7,
    # A running job with no progress for this long is marked failed (its worker died).
    "JOB_STALE_MINUTES": 15,
    "PAIRING": {
        "MIN_BUDDY_TIER": 1,
        "CAPACITY": 3,
        "WEIGHT_SITE": 4,
        "WEIGHT_SHIFT": 6,
        "WEIGHT_PAIRED_BEFORE": 8,
        "WEIGHT_TIER": 2,
    },
    "CURRENCY": os.environ.get("CURRENCY", "GBP"),
    # Organisation workbook import: what a workbook may cost before and while it is
    # read (the file itself is capped by MAX_UPLOAD_BYTES), and how long an uploaded workbook
    # waits for its preview to be confirmed.
    "WORKBOOK": {
        "MAX_UNCOMPRESSED_BYTES": 10 * MAX_UPLOAD_BYTES,
        "MAX_ENTRIES": 200,
        "MAX_ROWS_PER_SHEET": 250_000,
        "UPLOAD_EXPIRY_MINUTES": 60,
    },
    # Trainer workflows: a new hire stays on the new-hire list this many days after their
    # deadline; the trainer home shows sessions of the last RECENT_SESSION_DAYS days.
    "NEW_HIRE_FOLLOW_UP_DAYS": 90,
    "RECENT_SESSION_DAYS": 14,
    # Certificates: the organisation named on them, the paper they are laid out for (A4 or
    # LETTER, landscape), and how many verification pages one client address may open in a
    # window before it is answered 429 (codes cannot be guessed one by one).
    "CERTIFICATES": {
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Tier Tracker demo organisation"),
        "PAGE_SIZE": os.environ.get("CERTIFICATE_PAGE_SIZE", "A4").upper(),
        "VERIFY_RATE_LIMIT": int(os.environ.get("VERIFY_RATE_LIMIT", "30")),
        "VERIFY_RATE_WINDOW_SECONDS": int(os.environ.get("VERIFY_RATE_WINDOW_SECONDS", "60")),
    },
}

if TRACKER["CERTIFICATES"]["PAGE_SIZE"] not in ("A4", "LETTER"):
    raise ImproperlyConfigured("CERTIFICATE_PAGE_SIZE must be A4 or LETTER.")

# Behind a load balancer or reverse proxy, how many of them add to X-Forwarded-For: the
# client's address is then the one the outermost of them saw (rate limits count by it).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# The shared cache (the database, so every app server sees the same entries; create its table
# with `manage.py createcachetable`). It holds derived data only, keyed so it is never stale.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tracker_cache",
    }
}

# Per role, a function (request, employee) -> dict that fills that role's home page. Core
# knows the apps only through this setting, so dependencies keep pointing one way.
HOME_CONTEXT: dict[str, str] = {
    "trainer": "training.home.trainer_home",
    "employee": "certificates.home.employee_home",
    "manager": "buddies.home.manager_home",
}
# Functions (employee, day) -> dict that add to the progress pages (and the employee's home
# page) what apps above certificates know, such as the go-to buddy.
PROGRESS_CONTEXT: list[str] = [
    "buddies.selectors.progress_buddies",
    "organisation.reminders.progress_reminders",
]

# seed_demo creates logins with published passwords: production refuses it unless asked.
ALLOW_DEMO_DATA = env_bool("ALLOW_DEMO_DATA", True)

# Everything to the console once: Django's own loggers go to this handler only (without
# propagating to the root's, which logged each refusal twice), and a refused request (403,
# 404) is one line, without a traceback (core.logging).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_refusals": {"()": "core.logging.OneLineRefusals"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["one_line_refusals"]},
    },
    "loggers": {"django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}


def require_secret_key(key: str) -> str:
    if not key:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment.")
    return key


# Background work (Django's tasks API through the django-tasks backport): queued in the
# database, so the embedded default needs no other server; `manage.py db_worker` runs the jobs
# (`make run` starts one beside the web server). TASKS_BACKEND swaps the backend, for example
# to django-tasks-rq's Redis queue when the database is the bottleneck.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
