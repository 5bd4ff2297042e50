"""Test settings: fast hasher, local-memory cache, no network, locmem e-mail."""

from .base import *

SECRET_KEY = "test-only-not-secret-masthead-key-abcdefghijklmnopqrstuvwxyz"  # noqa: S105
DEBUG = False
MASTHEAD_DEMO = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
if os.environ.get("MASTHEAD_TEST_CACHE") != "shared":
    # The in-process suite is one process: a local-memory cache is enough and keeps tests apart.
    # Servers started by the live tests (tests/live) set MASTHEAD_TEST_CACHE=shared and keep the
    # shared cache of base.py, as production does.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    MASTHEAD_ALLOW_PROCESS_CACHE = True
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Tests read the events a request recorded as soon as it has answered.
MASTHEAD_ANALYTICS_BUFFER_SIZE = 0
WHITENOISE_AUTOREFRESH = True
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# Absolute URLs name the test client's host, whatever MASTHEAD_SITE_URL the shell exports;
# tests/core/test_absolute_urls.py asks on other hosts and sets other site URLs.
MASTHEAD_SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
ACCOUNT_RATE_LIMITS = False
# The sign-in gate (MASTHEAD_SIGNIN_LIMITS) stays on in every test: its counts live in the test
# database, which each test starts empty, so one test's failed logins never reach another.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "worker": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# Page tests measure each page's own work (queries, markup); tests/perf turns the page cache on.
MASTHEAD_PAGE_CACHE_SECONDS = 0
# Every article page a test reads is also rendered the ordinary way and must match its kept
# frame with the reader's slots filled in (masthead.news.kept_pages).
MASTHEAD_CHECK_KEPT_PAGES = True
