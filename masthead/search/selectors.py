"""What a reader's search finds: live, public, unexpired articles matching every word of the query.

One query path for the web page and the apps API. The index behind it holds only text every reader
may read (`ArticlePage.readable_body_text`): headline, standfirst and kicker for all articles, the
body only for free ones. So no result, and no count of results, says what a gated part contains.
"""

from __future__ import annotations

import re
from typing import Any

from masthead.news.expiry import expired_pages
from masthead.news.models import ArticlePage


def search_terms(query: str) -> str:
    """Words only, lower-cased: quotes, brackets and AND/OR/NEAR would otherwise reach the
    full-text engine as syntax (SQLite FTS5 rejects an unbalanced quote)."""
    return " ".join(re.findall(r"\w+", query.lower()))


def matching_articles(*, terms: str) -> Any:
    """Wagtail search results (sliceable, countable) for words from `search_terms()`."""
    if not terms:
        raise ValueError("A search needs at least one word: clean the query with search_terms() first.")
    # Past its expiry an article is gone at once, before the scheduler unpublishes it (and from
    # the result count too, not only from the listed cards).
    readable = ArticlePage.objects.live().public().exclude(pk__in=expired_pages())
    return readable.search(terms, operator="and")


def listed_in_order(*, matches: list[ArticlePage]) -> list[ArticlePage]:
    """The matching articles with everything a result card shows, in search order."""
    ids = [article.pk for article in matches]
    by_id = {a.pk: a for a in ArticlePage.objects.filter(pk__in=ids).for_listing()}  # type: ignore[attr-defined]
    return [by_id[pk] for pk in ids if pk in by_id]
