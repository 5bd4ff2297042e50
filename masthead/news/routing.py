"""From a URL to the article, without walking the tree.

Wagtail finds `/section/article/` by loading the front page's child, then its specific page, then
the article and its specific page (four queries), and checks view restrictions with two more.
An article's `url_path` already names the whole route, so one query finds the live article with
everything its header shows; each worker keeps the result for the current generation, so a
published article is found with no query at all. Anything else (a section, a draft, a 404, a page
under a view restriction, an editor's preview) takes Wagtail's own path unchanged.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest

from masthead.core.generation import ProcessCache, current_generation
from masthead.core.site_snapshot import current_snapshot
from masthead.news.expiry import has_expired

ARTICLE_DEPTH_BELOW_HOME = 2  # home / section / article

_articles: ProcessCache = ProcessCache(size=512)


def routed_article(*, request: HttpRequest, home: Any, path_components: list[str]) -> Any | None:
    if len(path_components) != ARTICLE_DEPTH_BELOW_HOME or getattr(request, "is_preview", False):
        return None
    url_path = f"{home.url_path}{'/'.join(path_components)}/"
    article = _articles.get_or_load(
        url_path, generation=current_generation(request), load=lambda: _load_article(url_path)
    )
    if article is None:
        return None
    if has_expired(article):
        # Kept for the generation, but an expiry passes without an edit: compare on every request.
        raise Http404
    snapshot = current_snapshot()
    if snapshot is None or snapshot.may_be_restricted(article):
        return None  # Wagtail's route and its privacy check decide
    return article


def _load_article(url_path: str) -> Any | None:
    from masthead.news.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .filter(url_path=url_path)
        .select_related("kicker", "hero_image", "sponsor")
        .first()
    )


class SnapshotViewRestrictions:
    """Page mixin: no restriction queries when no page on the path has a view restriction."""

    def get_view_restrictions(self) -> Any:
        snapshot = current_snapshot()
        if snapshot is not None and not snapshot.may_be_restricted(self):
            from wagtail.models import PageViewRestriction

            # A queryset, as admin callers expect, already evaluated: looping over it is free.
            restrictions = PageViewRestriction.objects.none()
            restrictions._result_cache = []
            return restrictions
        return super().get_view_restrictions()  # type: ignore[misc]
