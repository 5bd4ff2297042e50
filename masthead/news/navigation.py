"""Section links for the navigation bar, cached so a page view does not query the section list.

The cache entry is small (titles and URLs) and is dropped whenever a page is published or
unpublished, which is the only time the list can change for readers.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

NAV_CACHE_KEY = "masthead:nav-sections:v1"
NAV_CACHE_SECONDS = 60 * 60


def section_links() -> list[dict[str, str]]:
    links = cache.get(NAV_CACHE_KEY)
    if links is None:
        links = _load_section_links()
        cache.set(NAV_CACHE_KEY, links, NAV_CACHE_SECONDS)
    return links


def _load_section_links() -> list[dict[str, str]]:
    from masthead.news.models import SectionPage

    return [
        {"title": section.title, "url": section.url or "", "slug": section.slug}
        for section in SectionPage.objects.live().public().order_by("path")
    ]


def forget_section_links(**kwargs: Any) -> None:
    """Signal receiver: publishing or unpublishing any page may change the section list."""
    cache.delete(NAV_CACHE_KEY)
