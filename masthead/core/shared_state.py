"""The one rule for state that several workers or hosts must agree on: it lives in a shared store.

The content generation, kept public pages, paywall settings, prompts and offers, throttles and
lockouts live in the default cache; sessions in the database or in the cache backed by it. A
process-local backend there would let each worker keep its own copy: an edit seen by one worker
and not the next. `problems()` names every such setting; production refuses to start with any
(config/settings/production.py) and `manage.py check` reports them everywhere else.
"""

from __future__ import annotations

from typing import Any

# Backends whose entries live in one process (or nowhere): never where shared state goes.
PER_PROCESS_CACHES = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)
# Per machine, not per deployment: a second host would not see it.
PER_MACHINE_CACHES = frozenset({"django.core.cache.backends.filebased.FileBasedCache"})
CACHE_SESSIONS = frozenset(
    {"django.contrib.sessions.backends.cache", "django.contrib.sessions.backends.cached_db"}
)


def problems(*, caches: dict[str, Any], session_engine: str) -> list[str]:
    found = []
    backend = caches.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_CACHES or backend in PER_MACHINE_CACHES:
        found.append(
            f"CACHES['default'] uses {backend}, which each worker (or each machine) keeps for itself: "
            "edits, paywall settings and sign-in lockouts would not reach the other workers. "
            "Set REDIS_URL, or leave CACHES as config/settings/base.py makes it (a table in the database)."
        )
    if session_engine == "django.contrib.sessions.backends.cache" or (
        session_engine in CACHE_SESSIONS and backend in PER_PROCESS_CACHES
    ):
        found.append(
            f"SESSION_ENGINE {session_engine} keeps sessions only in the cache: use the database "
            "(the default) or cached_db with a shared cache."
        )
    return found
