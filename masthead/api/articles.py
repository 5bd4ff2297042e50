"""Reads for the article lists: newest first, filtered, cursor-paginated, and as plain summaries.

Summaries carry headline, standfirst and metadata only: no list ever contains a body block.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from masthead.api.blocks import image_json
from masthead.api.cursor import make_cursor, read_cursor
from masthead.api.errors import ApiError
from masthead.core.site_url import absolute_url
from masthead.news.models import ArticlePage, SectionPage, Topic
from masthead.news.renditions import APP_CARD_SPECS
from masthead.search.selectors import listed_in_order, matching_articles, search_terms

MAX_LIMIT = 50
DEFAULT_LIMIT = 20


def live_sections() -> QuerySet[SectionPage]:
    return SectionPage.objects.live().public().order_by("path")


def readable_articles() -> QuerySet[ArticlePage]:
    return ArticlePage.objects.for_listing()  # type: ignore[attr-defined, no-any-return]


def filter_articles(*, section: str | None, topic: str | None) -> QuerySet[ArticlePage]:
    articles = readable_articles()
    if section:
        page = live_sections().filter(slug=section).first()
        if page is None:
            raise ApiError(404, "not_found", f"No section '{section}'.")
        articles = articles.child_of(page)
    if topic:
        kicker = Topic.objects.filter(slug=topic).first()
        if kicker is None:
            raise ApiError(404, "not_found", f"No topic '{topic}'.")
        articles = articles.filter(kicker=kicker)
    return articles


def page_of_articles(
    *, articles: QuerySet[ArticlePage], cursor: str | None, limit: int
) -> tuple[list[ArticlePage], str | None]:
    if cursor:
        published_at, pk = read_cursor(cursor)
        articles = articles.filter(
            Q(first_published_at__lt=published_at) | Q(first_published_at=published_at, pk__lt=pk)
        )
    page = list(articles[: limit + 1])
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        next_cursor = make_cursor(published_at=last.first_published_at, pk=last.pk)
    return page, next_cursor


def search_articles(*, query: str, limit: int) -> list[ArticlePage]:
    """The web search's matches (masthead.search): headline, standfirst, kicker, and the body of
    free articles only, so a gated body cannot be probed word by word ("does it mention X?")."""
    terms = search_terms(" ".join(query.split()[:8]))
    if not terms:
        return []
    return listed_in_order(matches=list(matching_articles(terms=terms)[:limit]))


def sections_by_path() -> dict[str, SectionPage]:
    return {section.path: section for section in live_sections()}


def summary_json(
    *,
    request: HttpRequest,
    article: ArticlePage,
    sections: dict[str, SectionPage],
    hero_specs: tuple[str, ...] = APP_CARD_SPECS,
) -> dict[str, Any]:
    section = sections.get(article.path[: -ArticlePage.steplen])
    return {
        "id": article.pk,
        "headline": article.title,
        "standfirst": article.standfirst,
        "kicker": {"name": article.kicker.name, "slug": article.kicker.slug} if article.kicker else None,
        "section": {"id": section.pk, "title": section.title, "slug": section.slug} if section else None,
        "authors": [{"name": a.name, "slug": a.slug, "role": a.role} for a in article.authors],
        "published_at": article.first_published_at,
        "updated_at": article.updated_at,
        "access": str(article.access_level),
        "sponsor": article.sponsor.name if article.sponsor_id else None,
        "url": article.get_full_url(request=request) or absolute_url("/"),
        "hero_image": image_json(request=request, image=article.hero_image, specs=hero_specs),
    }
