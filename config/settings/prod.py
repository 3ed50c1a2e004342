"""Production settings: refuses to start without SECRET_KEY; secure cookies and headers."""

from .base import *  # noqa: F403
from .base import env_bool, require_secret_key

SECRET_KEY = require_secret_key(SECRET_KEY)  # noqa: F405
DEBUG = env_bool("DEBUG", False)
ALLOW_DEMO_DATA = env_bool("ALLOW_DEMO_DATA", False)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Cookies go over HTTPS only. SECURE_COOKIES=false is for a load test over plain HTTP on one
# machine (bench/load/run.py), never for a deployment.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
