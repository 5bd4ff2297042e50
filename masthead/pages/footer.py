"""The footer's links to standing pages, read once per generation in each worker.

The footer is part of every kept page (`core.page_cache`) and of the per-worker footer fragment
(`news.fragments.kept_fragment`); both are keyed by the generation, which publishing, unpublishing,
moving, saving or deleting a standing page starts afresh, so an edit reaches every footer at once.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from masthead.core.generation import ProcessCache, current_generation

_in_worker: ProcessCache = ProcessCache(size=len(settings.LANGUAGES))


def footer_links(request: HttpRequest | None = None) -> list[dict[str, str]]:
    # Per interface language: links inside a /ja/ page stay in /ja/ (core.language_urls).
    language = translation.get_language() or settings.LANGUAGE_CODE
    return _in_worker.get_or_load(
        ("footer", language), generation=current_generation(request), load=_load_footer_links
    )


def _load_footer_links() -> list[dict[str, str]]:
    from masthead.news.expiry import still_running
    from masthead.pages.models import StandardPage

    pages = StandardPage.objects.live().public().filter(still_running(), show_in_footer=True).order_by("path")
    return [{"title": page.title, "url": page.url or ""} for page in pages if page.url]
