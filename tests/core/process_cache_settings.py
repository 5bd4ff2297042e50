"""Settings a careless install might write: the demo settings with a per-process cache."""

from config.settings.dev import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
