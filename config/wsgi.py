"""WSGI entry point: `gunicorn config.wsgi`."""

import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.prod")

application = get_wsgi_application()

# Import the URLs, so every view (and what views import: spreadsheets, PDFs, the matcher),
# while the worker boots: otherwise each worker's first request waits most of a second.
import_module(settings.ROOT_URLCONF)
