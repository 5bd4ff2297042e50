"""Production: refuses to start without a real secret, or in demo mode."""

from django.core.exceptions import ImproperlyConfigured

from masthead.core import shared_state

from .base import *
from .base import env_bool

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("dev-", "test-", "django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if MASTHEAD_DEMO:
    raise ImproperlyConfigured(
        "MASTHEAD_DEMO is on: the demo payment provider and demo passwords are refused in production."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
MASTHEAD_METER_COOKIE_SECURE = True
MASTHEAD_METER_REQUIRE_DURABLE = env_bool("MASTHEAD_METER_REQUIRE_DURABLE", True)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

# Shared state (generation, kept pages, settings, lockouts, sessions) must live where every worker
# and host reads it: refuse to start rather than serve half-shared.
_unshared = shared_state.problems(caches=CACHES, session_engine=globals().get("SESSION_ENGINE", ""))
if _unshared:
    raise ImproperlyConfigured(" ".join(_unshared))

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # S3-compatible media (django-storages must be installed in the deployment image).
    STORAGES = {
        **STORAGES,
        # django-storages' S3Storage with unguessable image names (see masthead.core.media_names).
        "default": {"BACKEND": "masthead.core.media_names.UnguessableS3Storage"},
    }
