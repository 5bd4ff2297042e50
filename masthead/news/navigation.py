"""Section links for the navigation bar, cached so a page view does not query the section list.

The cache entry is small (titles and URLs) and is dropped whenever a page is published or
unpublished, which is the only time the list can change for readers; each worker also keeps a
copy for the current generation, so a page view does not even ask the shared cache.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation

from masthead.core.generation import ProcessCache, current_generation, now_and_after_commit
from masthead.core.language_urls import language_version

NAV_CACHE_KEY = "masthead:nav-sections:v1"
NAV_CACHE_SECONDS = 60 * 60


_in_worker: ProcessCache = ProcessCache(size=len(settings.LANGUAGES))


def section_links(request: HttpRequest | None = None) -> list[dict[str, str]]:
    # Each worker keeps its own copy for the current generation (any publish starts a new one),
    # per interface language: links inside a /ja/ page stay in /ja/ (core.language_urls).
    language = translation.get_language() or settings.LANGUAGE_CODE
    generation = current_generation(request)
    return _in_worker.get_or_load(
        ("sections", language),
        generation=generation,
        load=lambda: [
            {**link, "url": language_version(link["url"], language) if link["url"] else ""}
            for link in _shared_section_links(generation)
        ],
    )


def _shared_section_links(generation: int) -> list[dict[str, str]]:
    # Kept under the generation it was read in: a copy read just before a publish committed and
    # written after its delete is never read again, since the commit starts the next generation.
    key = f"{NAV_CACHE_KEY}:g{generation}"
    links = cache.get(key)
    if links is None:
        links = _load_section_links()
        cache.set(key, links, NAV_CACHE_SECONDS)
    return links  # type: ignore[no-any-return]


def _load_section_links() -> list[dict[str, str]]:
    from masthead.news.models import SectionPage

    with translation.override(settings.LANGUAGE_CODE):  # kept once for every language
        return [
            {"title": section.title, "url": section.url or "", "slug": section.slug}
            for section in SectionPage.objects.live().public().order_by("path")
        ]


def forget_section_links(**kwargs: Any) -> None:
    """Signal receiver: publishing or unpublishing any page may change the section list."""
    now_and_after_commit(lambda: cache.delete(NAV_CACHE_KEY))
