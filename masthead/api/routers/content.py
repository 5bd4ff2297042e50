"""Sections, topics, article lists, one article, search.

Lists are the same for every reader (summaries only, no token read), so they are public and
carry an ETag. One article is personalised: it goes through the paywall with the token's reader.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Router
from ninja.decorators import decorate_view
from pydantic import Field

from masthead.api.articles import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    filter_articles,
    live_sections,
    page_of_articles,
    search_articles,
    sections_by_path,
    summary_json,
)
from masthead.api.caching import personalised, public_list
from masthead.api.errors import ApiError, ErrorOut
from masthead.api.paywall import article_detail
from masthead.api.schemas import NO_NUL, ArticleDetailOut, ArticleListOut, SearchOut, SectionOut, TopicOut
from masthead.api.security import app_token
from masthead.core.generation import ProcessCache, current_generation
from masthead.news.expiry import has_expired
from masthead.news.models import ArticlePage, Topic

router = Router(tags=["content"])

Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")]
MAX_ID = 2**31 - 1  # larger ids cannot exist and would overflow SQLite integers
Slug = Annotated[str, Field(max_length=80, pattern=NO_NUL)]


@router.get("/sections", response={200: list[SectionOut]}, summary="Sections, in menu order")
@decorate_view(public_list)
def sections(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": section.pk,
            "title": section.title,
            "slug": section.slug,
            "intro": section.intro,
            "url": section.get_full_url(request=request) or "",
        }
        for section in live_sections()
    ]


@router.get("/topics", response={200: list[TopicOut]}, summary="Topics (kickers)")
@decorate_view(public_list)
def topics(request: HttpRequest) -> list[dict[str, Any]]:
    return list(Topic.objects.order_by("name").values("id", "name", "slug", "description"))


@router.get(
    "/articles",
    response={200: ArticleListOut, 404: ErrorOut, 422: ErrorOut},
    summary="Articles, newest first",
)
@decorate_view(public_list)
def articles(
    request: HttpRequest,
    section: Slug | None = None,
    topic: Slug | None = None,
    cursor: Annotated[str | None, Field(max_length=200, pattern=NO_NUL)] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    chosen = filter_articles(section=section, topic=topic)
    page, next_cursor = page_of_articles(articles=chosen, cursor=cursor, limit=limit)
    sections = sections_by_path()
    return {
        "items": [summary_json(request=request, article=a, sections=sections) for a in page],
        "next_cursor": next_cursor,
    }


@router.get(
    "/articles/{article_id}",
    response={200: ArticleDetailOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut, 503: ErrorOut},
    auth=app_token,
    summary="One article: the whole body if entitled, else the teaser and a paywall object",
)
@decorate_view(personalised)
def article(
    request: HttpRequest,
    article_id: Annotated[int, Field(ge=1, le=MAX_ID)],
    lang: Annotated[str | None, Field(max_length=16, pattern=NO_NUL, description="e.g. en, ja")] = None,
) -> ArticleDetailOut:
    page = _live_public_articles.get_or_load(
        article_id, generation=current_generation(request), load=lambda: _live_public_article(article_id)
    )
    if page is None or has_expired(page):
        # Kept for the generation, but an expiry passes without an edit: compared on every request.
        raise ApiError(404, "not_found", "No such article.")
    return article_detail(request=request, article=page, token=request.auth, lang=lang)


# The live, public article by id, kept per worker for the site generation (any publish, move,
# privacy or page edit starts a new one), like the web's routed articles (masthead.news.routing).
_live_public_articles: ProcessCache = ProcessCache(size=512)


def _live_public_article(article_id: int) -> ArticlePage | None:
    return (
        ArticlePage.objects.live()
        .public()
        .select_related("kicker", "hero_image", "sponsor")
        .filter(pk=article_id)
        .first()
    )


@router.get(
    "/search",
    response={200: SearchOut, 422: ErrorOut},
    summary="Search headlines, standfirsts, topics and the bodies of free articles",
)
@decorate_view(public_list)
def search(
    request: HttpRequest,
    q: Annotated[str, Field(min_length=1, max_length=100, pattern=NO_NUL)],
    limit: Limit = DEFAULT_LIMIT,
) -> dict[str, Any]:
    if not q.strip():
        raise ApiError(422, "invalid_request", "q: the search needs at least one word.")
    sections = sections_by_path()
    found = search_articles(query=q, limit=limit)
    return {"items": [summary_json(request=request, article=a, sections=sections) for a in found]}
