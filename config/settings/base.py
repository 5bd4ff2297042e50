"""Settings shared by every environment. Everything that differs comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("MASTHEAD_VAR_DIR", BASE_DIR / "var"))
# The embedded setup keeps its SQLite file and media here; a fresh checkout has no such folder.
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Demo mode turns on the demo payment provider and the printed demo password.
# Production settings refuse to start with it on.
MASTHEAD_DEMO = env_bool("MASTHEAD_DEMO", False)

INSTALLED_APPS = [
    "masthead.core",
    "masthead.access",
    "masthead.news",
    "masthead.sponsored",
    "masthead.billing",
    "masthead.accounts",
    "masthead.api",
    "masthead.search",
    "masthead.schedule",
    "masthead.mail",
    "masthead.newsletters",
    "masthead.analytics",
    "masthead.analytics.experiments",
    "masthead.importers",
    "masthead.pages",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "ninja",  # the API docs page serves Swagger UI from static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside everything that can fail: an error or 503 page raised in any middleware below
    # still carries the reader CSP.
    "masthead.core.middleware.SecurityHeadersMiddleware",
    # Brotli or gzip for text replies, kept pages included; never the replies that carry an
    # unmasked secret (BREACH: see masthead.core.compression and docs/performance.md).
    "masthead.core.compression.CompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Imported WordPress addresses by id (/?p=123) to their new page, before the front page is kept.
    "masthead.importers.middleware.OldIdRedirectMiddleware",
    # Django's LocaleMiddleware, but a public page's language comes from its URL (/ja/…) alone;
    # before the page cache, which keeps each language version apart by it.
    "masthead.core.language_urls.LanguageUrlMiddleware",
    # Before sessions and auth: a kept public page for an anonymous reader skips all of them.
    "masthead.core.page_cache.AnonymousPageCacheMiddleware",
    # Django's session and authentication middleware; with MASTHEAD_READER_CACHE a signed-in
    # reader's session comes with the site generation, and the account with its entitlements,
    # in one cache round trip each and no query (masthead.accounts.session_user).
    "masthead.accounts.session_user.SessionMiddleware",
    "masthead.core.site_snapshot.SiteSnapshotMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "masthead.accounts.session_user.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # A sign-in refused by the gate gets the one lockout page (429) at every door.
    "masthead.accounts.lockout.SignInLockoutMiddleware",
    # A browser that signs out keeps its account's meter reads (set by the logout signal).
    "masthead.access.signals.MeterCookieMiddleware",
    # Wagtail's redirects, also for the /ja/ version of an old address.
    "masthead.core.language_redirects.LanguageVersionRedirectMiddleware",
    # First-party analytics: a request's events handed to the per-worker buffer; wall clicks.
    "masthead.analytics.middleware.AnalyticsMiddleware",
]

# Analytics events: buffered per worker and written in one INSERT per 200 events or 5 seconds
# (and at exit); 0 writes each request's events at its end. Raw events kept this many days.
MASTHEAD_ANALYTICS_BUFFER_SIZE = int(os.environ.get("MASTHEAD_ANALYTICS_BUFFER_SIZE", "200"))
MASTHEAD_ANALYTICS_BUFFER_SECONDS = 5.0
MASTHEAD_ANALYTICS_RETENTION_DAYS = int(os.environ.get("MASTHEAD_ANALYTICS_RETENTION_DAYS", "400"))

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "masthead" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "masthead.core.context_processors.publication",
                "masthead.pages.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'masthead.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the meter writer work side by side; IMMEDIATE transactions take the
    # write lock up front so two meter writes never deadlock on a lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": ("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing one client per connection pool (see the module).
            "BACKEND": "masthead.core.redis_cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "masthead",
        }
    }
    # A signed-in reader's session is read from Redis, not the database, on every page view
    # (written to both). Only with a shared cache: a per-process one would keep a logged-out
    # session alive in the other workers.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    # A signed-in reader's account and entitlements are kept in Redis too, dropped on every change
    # (masthead.access.reader_state); with the database cache they would cost what they save.
    MASTHEAD_READER_CACHE = env_bool("MASTHEAD_READER_CACHE", True)
else:
    # No Redis: the cache lives in a table of the database, so every worker and every process on
    # the machine (and every host sharing a PostgreSQL server) sees the same "something changed"
    # number, kept pages, settings, throttles and lockouts. Never a per-process cache: with several
    # workers each one would keep its own copy of all that (see masthead.core.shared_cache).
    CACHES = {"default": {"BACKEND": "masthead.core.shared_cache.SharedDatabaseCache", "LOCATION": ""}}
# Wagtail writes a rendition to its cache on every use; each worker keeps its own small copy
# instead of a Redis round trip per image per page view (renditions never change once made).
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

# How long a public page (front, section, topic, author, feeds) is kept for anonymous readers and
# may be kept by shared caches; publishing drops it at once. 0 turns the page cache off.
MASTHEAD_PAGE_CACHE_SECONDS = int(os.environ.get("MASTHEAD_PAGE_CACHE_SECONDS", "60"))

# Which meter store counts reads: "database" (default) or "redis" (needs REDIS_URL).
MASTHEAD_METER_STORE = os.environ.get("MASTHEAD_METER_STORE", "database")
# The Redis meter store may live on its own server (defaults to REDIS_URL).
MASTHEAD_METER_REDIS_URL = os.environ.get("MASTHEAD_METER_REDIS_URL", "")
# A Redis meter store without AOF or with an evicting policy could hand out free articles after a
# restart: production refuses to start on one (masthead.access.meter_durability), others warn.
MASTHEAD_METER_REQUIRE_DURABLE = env_bool("MASTHEAD_METER_REQUIRE_DURABLE", False)
MASTHEAD_METER_COOKIE_SECURE = env_bool("MASTHEAD_METER_COOKIE_SECURE", False)
# Off unless set: crawlers are let past the paywall only from these networks (comma-separated
# CIDRs), judged by the connecting address, never by User-Agent or X-Forwarded-For.
MASTHEAD_VERIFIED_CRAWLER_NETWORKS = env_list("MASTHEAD_VERIFIED_CRAWLER_NETWORKS")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Argon2id (argon2-cffi) at OWASP's 19 MiB cost (masthead.accounts.hashers: Django's default
# takes 100 MiB per sign-in) for every new or changed password. The others only
# verify hashes made before the switch; Django rewrites such a hash as Argon2 at the reader's
# next sign-in. Timings against PBKDF2: docs/performance.md.
PASSWORD_HASHERS = [
    "masthead.accounts.hashers.NewsroomArgon2Hasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    # The sign-in gate: every password check, at every door, is counted here first (it asks the
    # backends below to check the password). See masthead.accounts.signin_gate.
    "masthead.accounts.signin_gate.SignInGateBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LOCALE_PATHS = [BASE_DIR / "masthead" / "locale"]
TIME_ZONE = os.environ.get("MASTHEAD_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# masthead/static belongs to no app, so the app-directories finder would miss it (and
# collectstatic would leave the site's CSS out of the production manifest).
STATICFILES_DIRS = [BASE_DIR / "masthead" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # Image files get random names: a photo in a story's gated part is not one guess from its slug.
    "default": {"BACKEND": "masthead.core.media_names.UnguessableFileSystemStorage"},
    # WhiteNoise's compressed manifest storage, remembering each asset's URL (see the module).
    "staticfiles": {"BACKEND": "masthead.core.static_storage.CachedUrlManifestStorage"},
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The interface-language cookie (set by the footer switcher, masthead.core.language): no script
# reads it, and it need not follow cross-site requests. Secure in production.
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

# Wagtail
WAGTAIL_SITE_NAME = "The Meridian Ledger"
# The site's one absolute address (masthead.core.site_url): canonical links, JSON-LD, feeds,
# sitemaps, e-mails and the admin's links all use it. `make demo` sets it to the address it serves.
MASTHEAD_SITE_URL = os.environ.get(
    "MASTHEAD_SITE_URL", os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
).rstrip("/")
WAGTAILADMIN_BASE_URL = MASTHEAD_SITE_URL
# The publication's own profiles elsewhere (comma-separated URLs), named as `sameAs` in the
# front page's JSON-LD. None by default.
MASTHEAD_SAME_AS = env_list("MASTHEAD_SAME_AS")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No request from the admin to gravatar.com: avatars are uploaded ones or Wagtail's own default.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_I18N_ENABLED = False
# The newsroom login refuses readers before a session exists; its reset requests pass the gate.
WAGTAILADMIN_USER_LOGIN_FORM = "masthead.accounts.forms.NewsroomLoginForm"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "masthead.accounts.forms.GatedNewsroomPasswordResetForm"  # noqa: S105

# allauth: e-mail only, verification, login by code, rate limits, no enumeration.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Mandatory: no registered-reader benefits (more free articles, registered-only articles) until the
# address is confirmed, and sign-up with a taken address e-mails its owner instead of saying so.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Opening the link in the browser that signed up signs the reader in and returns them to where
# they were (the offer, the article); opened anywhere else, it asks for the password.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins and reset requests are counted by the sign-in gate (MASTHEAD_SIGNIN_LIMITS),
    # one count for every door, not by allauth for its own forms only.
    "login_failed": None,
    # allauth's default "login" (30/m/ip) counts every sign-in, right passwords too: readers behind
    # one office or mobile-network address were refused. The gate counts the failures.
    "login": None,
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    # The newsletters page's e-mail sign-up (double opt-in): per client address, and one
    # confirmation e-mail per address in three minutes (a repeat says the same, sends nothing).
    "newsletter_signup_ip": "10/m/ip",
    "newsletter_signup_address": "1/3m/key",
    "reset_password": None,
}
# Every account e-mail in the publication's name, words and layout, in the reader's language, with
# links at MASTHEAD_SITE_URL (masthead.accounts.adapter, masthead.mail); readers are told of every
# change to their password or address.
ACCOUNT_ADAPTER = "masthead.accounts.adapter.ReaderAccountAdapter"
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_FORMS = {
    "confirm_login_code": "masthead.accounts.forms.GatedConfirmLoginCodeForm",
    "reset_password": "masthead.accounts.forms.GatedResetPasswordForm",
}
# The sign-in gate (masthead.accounts.signin_gate), in the database every worker shares. "signin":
# failed passwords and codes at every door; the try after the limit is refused, even with the
# right password or code, until the window (started by the first failure) is over. "reset":
# password reset requests (each one counts).
MASTHEAD_SIGNIN_LIMITS = {
    "signin": {"per_account": 5, "per_address": 20, "window_seconds": 15 * 60},
    "reset": {"per_account": 3, "per_address": 10, "window_seconds": 60 * 60},
    # Wagtail's password-protected pages: "per_account" counts per protected page, kept high so one
    # guesser cannot lock out the readers who share the password.
    "page-password": {"per_account": 100, "per_address": 10, "window_seconds": 15 * 60},
}
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@meridian-ledger.example")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP server (or an ESP's SMTP relay) from the environment, so a publisher configures mail
# without editing settings; a 10 s timeout so a stalled relay never holds the task worker.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "").lower() in ("1", "true", "yes", "on")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Newsletters through any provider with django-anymail, chosen here only: EMAIL_BACKEND=
# "anymail.backends.<provider>.EmailBackend" (amazon_ses, postmark, mailgun, sendgrid, brevo, resend,
# postal, …) and that provider's settings as ANYMAIL_* variables, e.g. ANYMAIL_POSTMARK_SERVER_TOKEN;
# ANYMAIL_WEBHOOK_SECRET ("user:password") guards the tracking webhooks (off until it is set).
ANYMAIL = {k.removeprefix("ANYMAIL_"): v for k, v in os.environ.items() if k.startswith("ANYMAIL_")}
# How long a claimed batch of newsletter recipients stays with its worker before another may take
# it over (a worker that died); a live worker renews its claim as it sends.
MASTHEAD_NEWSLETTER_LEASE_SECONDS = int(os.environ.get("MASTHEAD_NEWSLETTER_LEASE_SECONDS", "300"))
# SMTP connections a newsletter worker sends over at once, all driven by one thread; the copies
# waiting on them are marked sent in one commit (masthead/newsletters/sending.py, SMTPGroup).
MASTHEAD_NEWSLETTER_CONNECTIONS = int(os.environ.get("MASTHEAD_NEWSLETTER_CONNECTIONS", "16"))
# At most this many recipients per provider batch call (0: the provider's own limit, e.g. Mailgun
# 1,000; masthead/newsletters/batches.py).
MASTHEAD_NEWSLETTER_PROVIDER_BATCH = int(os.environ.get("MASTHEAD_NEWSLETTER_PROVIDER_BATCH", "0"))

# Wagtail's own tasks (search index, reference index) run inline on publish, so a page is searchable
# the moment it goes live with no worker running. Our slow work (e-mails, billing sweeps) goes to the
# "worker" queue in the database, drained by `manage.py db_worker --backend worker`.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "worker": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"},
}

# Stripe. Keys come only from the environment.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")

# Billing: the paywall's offer panel, and how long a reader keeps access while a payment is retried.
MASTHEAD_OFFER_SELECTOR = "masthead.billing.selectors.featured_offer_summary"
MASTHEAD_PAST_DUE_GRACE_DAYS = int(os.environ.get("MASTHEAD_PAST_DUE_GRACE_DAYS", "7"))
# "stripe", "demo" or "" (automatic: demo in demo mode without Stripe keys, otherwise Stripe).
MASTHEAD_PAYMENT_PROVIDER = os.environ.get("MASTHEAD_PAYMENT_PROVIDER", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
