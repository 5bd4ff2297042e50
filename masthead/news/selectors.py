"""Reads for listing pages: each runs a fixed number of queries, however many articles it shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import Length, RowNumber, Substr

from masthead.news.expiry import still_running

LATEST_COUNT = 10
TOP_STORIES_PER_SECTION = 4
LISTING_PAGE_SIZE = 12
# Wagtail stores the tree as fixed-width path segments; an article's section is its parent.
PATH_STEP = 4


@dataclass(frozen=True)
class SectionTopStories:
    section: Any
    stories: list[Any]


def front_page_stories(*, home: Any) -> dict[str, Any]:
    from masthead.news.models import ArticlePage, SectionPage

    articles = ArticlePage.objects.descendant_of(home).for_listing()
    latest = list(articles[: LATEST_COUNT + 1])
    lead = _lead_story(home=home, latest=latest)
    sections = SectionPage.objects.child_of(home).live().public().filter(still_running())
    sections = list(sections.order_by("path"))
    return {
        "lead": lead,
        "latest": [a for a in latest if lead is None or a.pk != lead.pk][:LATEST_COUNT],
        "section_stories": _top_stories_by_section(sections=sections, articles=articles, lead=lead),
    }


def _lead_story(*, home: Any, latest: list[Any]) -> Any:
    from masthead.news.models import ArticlePage

    if home.lead_story_id:
        chosen = ArticlePage.objects.filter(pk=home.lead_story_id).for_listing().first()
        if chosen is not None:
            return chosen
    # A sponsored piece never leads the front page unless an editor puts it there.
    return next((a for a in latest if not a.is_sponsored), latest[0] if latest else None)


def _top_stories_by_section(*, sections: list[Any], articles: Any, lead: Any) -> list[SectionTopStories]:
    """The newest few articles of every section in ONE query (a window over the parent path)."""
    if not sections:
        return []
    ranked = articles.annotate(
        section_path=Substr("path", 1, Length("path") - PATH_STEP),
        rank_in_section=Window(
            RowNumber(),
            partition_by=[Substr("path", 1, Length("path") - PATH_STEP)],
            order_by=[F("first_published_at").desc(), F("pk").desc()],
        ),
    ).filter(rank_in_section__lte=TOP_STORIES_PER_SECTION + 1)
    by_path: dict[str, list[Any]] = {}
    for article in ranked:
        if lead is not None and article.pk == lead.pk:
            continue
        by_path.setdefault(article.section_path, []).append(article)
    return [
        SectionTopStories(section=section, stories=by_path[section.path][:TOP_STORIES_PER_SECTION])
        for section in sections
        if by_path.get(section.path)
    ]


def paginate(queryset: Any, *, page_number: str | None, per_page: int = LISTING_PAGE_SIZE) -> PaginatorPage:
    # get_page() turns ?page=abc into page 1 and ?page=999 into the last page.
    return Paginator(queryset, per_page).get_page(page_number)


def topic_articles(*, topic: Any) -> Any:
    from masthead.news.models import ArticlePage

    return ArticlePage.objects.filter(kicker=topic).for_listing()


def author_articles(*, author: Any) -> Any:
    from masthead.news.models import ArticlePage

    return ArticlePage.objects.filter(bylines__author=author).for_listing().distinct()
