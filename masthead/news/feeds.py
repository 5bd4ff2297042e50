"""RSS 2.0 feeds: headline, standfirst, link and date. Never the body: feeds are not a paywall bypass.

Every link names the site URL (masthead.core.site_url), never the host the feed was fetched on:
Django's syndication adds the request's host only to links that are not absolute already.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Rss201rev2Feed
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.core.page_cache import mark_public
from masthead.core.site_url import absolute_url
from masthead.news.expiry import still_running
from masthead.news.models import ArticlePage, SectionPage

FEED_SIZE = 30


@dataclass(frozen=True)
class FeedSource:
    """Per-request state. A Feed instance is shared by every request, so nothing lives on self."""

    title: str
    link: str
    feed_url: str
    description: str
    articles: Any


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # A feed is the same for every reader: shared caches may keep it briefly.
        return mark_public(request, super().__call__(request, *args, **kwargs))

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedSource:
        publication = PublicationSettings.for_request(request)
        site = Site.find_for_request(request)
        articles = ArticlePage.objects.for_listing()
        if site is not None:
            articles = articles.descendant_of(site.root_page)
        return FeedSource(
            title=publication.name,
            link=absolute_url("/"),
            feed_url=absolute_url(request.path),
            description=publication.tagline or publication.name,
            articles=articles,
        )

    def title(self, obj: FeedSource) -> str:
        return obj.title

    def link(self, obj: FeedSource) -> str:
        return obj.link

    def feed_url(self, obj: FeedSource) -> str:
        return obj.feed_url

    def description(self, obj: FeedSource) -> str:
        return obj.description

    def items(self, obj: FeedSource) -> list[ArticlePage]:
        return list(obj.articles[:FEED_SIZE])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst

    def item_link(self, item: ArticlePage) -> str:
        return item.get_full_url() or absolute_url("/")

    def item_pubdate(self, item: ArticlePage) -> Any:
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage) -> Any:
        return item.updated_at or item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str:
        return ", ".join(author.name for author in item.authors)

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [item.kicker.name] if item.kicker_id else []


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FeedSource:
        publication = PublicationSettings.for_request(request)
        sections = SectionPage.objects.live().public().filter(still_running(), slug=kwargs["slug"])
        site = Site.find_for_request(request)
        if site is not None:
            sections = sections.descendant_of(site.root_page)
        section = sections.order_by("path").first()
        if section is None:
            raise Http404("No such section")
        return FeedSource(
            title=f"{section.title} — {publication.name}",
            link=section.get_full_url(request=request) or absolute_url("/"),
            feed_url=absolute_url(request.path),
            description=section.intro or f"{section.title} — {publication.name}",
            articles=ArticlePage.objects.child_of(section).for_listing(),
        )
