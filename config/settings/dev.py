"""Local development and `make demo`: demo mode on, console e-mail, a fixed local secret."""

from .base import *
from .base import env_bool

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret-masthead-local-key-0123456789"
DEBUG = env_bool("DEBUG", False)
MASTHEAD_DEMO = env_bool("MASTHEAD_DEMO", True)
# Demo mode keeps outgoing mail in the Outbox (admin → Outbox) and prints a line saying where;
# an EMAIL_BACKEND from the environment (SMTP to a local sink, say) wins.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or (
    "masthead.mail.outbox.OutboxBackend"
    if MASTHEAD_DEMO
    else "django.core.mail.backends.console.EmailBackend"
)
MASTHEAD_OUTBOX_ANNOUNCE = True
# gunicorn serves static files through whitenoise; no collectstatic manifest needed locally.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# whitenoise serves from the finders here; the folder only has to exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
