"""Navigation for every template, read from a small cache entry rather than the database."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def publication(request: HttpRequest) -> dict[str, Any]:
    from masthead.news.navigation import section_links

    # Lazy: pages that never show the navigation (feeds, robots.txt) never touch the cache.
    return {"nav_sections": SimpleLazyObject(lambda: section_links(request))}
