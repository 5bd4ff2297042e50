"""`manage.py check` reports shared state kept per process (see masthead.core.shared_state)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

from masthead.core.shared_state import problems


@register()
def shared_state_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # The in-process test suite is a single process and may keep a local cache on purpose.
    if getattr(settings, "MASTHEAD_ALLOW_PROCESS_CACHE", False):
        return []
    return [
        Error(text, id="masthead.E001")
        for text in problems(caches=settings.CACHES, session_engine=settings.SESSION_ENGINE)
    ]
