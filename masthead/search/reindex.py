"""Writing the articles' search index afresh, after what the index may hold has changed.

Publishing re-indexes one article by itself (Wagtail's post-save task). This is for the whole
set at once: an upgrade from a release that indexed gated bodies (see migration 0001 and
`SearchConfig.ready`), or `manage.py update_index` on a site with other search backends.
"""

from __future__ import annotations

from typing import Any

from wagtail.search.backends import get_search_backends

from masthead.news.models import ArticlePage

CHUNK = 200


def reindex_articles() -> int:
    """Every article's entry in every search backend, rewritten from the live database. Returns
    how many articles were indexed."""
    articles = ArticlePage.get_indexed_objects().order_by("pk")
    total = 0
    last_pk = 0
    while True:
        chunk = list(articles.filter(pk__gt=last_pk)[:CHUNK])
        if not chunk:
            return total
        for backend in get_search_backends():
            backend.add_bulk(ArticlePage, chunk)
        total += len(chunk)
        last_pk = chunk[-1].pk


def reindex_after_upgrade(*, plan: Any = None, **_signal: Any) -> None:
    """post_migrate: when this migrate run applied 0001, rebuild the articles' index entries (the
    migration itself could only remove the stale ones: it cannot run today's models)."""
    applied = {(m.app_label, m.name) for m, backwards in (plan or []) if not backwards}
    if ("site_search", "0001_index_public_text_only") in applied:
        reindex_articles()
