"""RSS 2.0 and Atom feeds: headline, standfirst, link and date; feeds are not a paywall bypass.

RSS items carry the standfirst only. An Atom entry carries the whole story (`<content>`) only when
every reader may read it (a free or sponsored article); a metered, registered or subscribers-only
entry carries the standfirst only, so gated text never leaves in a feed. A feed is the same for
every reader (kept in the page cache): nothing in it depends on who fetched it.

Every link names the site URL (masthead.core.site_url), never the host the feed was fetched on:
Django's syndication adds the request's host only to links that are not absolute already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.core.page_cache import mark_public
from masthead.core.site_url import absolute_url
from masthead.news.expiry import still_running
from masthead.news.fragments import article_body
from masthead.news.models import AccessLevel, ArticlePage, SectionPage

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
        # A sponsored story says so wherever it is listed, as on the site (see share_cards).
        if item.is_sponsored:
            return gettext("Sponsored: %(title)s") % {"title": item.title}
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
        categories = [item.kicker.name] if item.kicker_id else []
        if item.is_sponsored:
            categories.append("Sponsored")  # a fixed marker feed readers and aggregators can filter on
        return categories


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


# --- Atom -------------------------------------------------------------------------------------

_URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|poster)=")(/(?!/)[^"]*)"')
_SRCSET_ATTRIBUTE = re.compile(r'(\ssrcset=")([^"]*)"')


def _absolute_links(html: str) -> str:
    """Site paths in a story's HTML as absolute URLs: a feed reader shows it away from the site."""
    html = _URL_ATTRIBUTE.sub(lambda m: f'{m.group(1)}{absolute_url(m.group(2))}"', html)

    def srcset(match: re.Match[str]) -> str:
        candidates = []
        for candidate in match.group(2).split(","):
            url, _, size = candidate.strip().partition(" ")
            if url.startswith("/") and not url.startswith("//"):
                url = absolute_url(url)
            candidates.append(f"{url} {size}".strip())
        return f'{match.group(1)}{", ".join(candidates)}"'

    return _SRCSET_ATTRIBUTE.sub(srcset, html)


class AtomWithContent(Atom1Feed):
    """Atom 1.0 whose entries may carry the story as HTML (`<content type="html">`)."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


@dataclass(frozen=True)
class AtomSource(FeedSource):
    request: HttpRequest | None = None


def free_to_read(article: ArticlePage) -> bool:
    # The paywall's own rule: sponsored pieces are free whatever the access field says.
    return article.access_level == AccessLevel.FREE


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomWithContent

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> AtomSource:
        return _with_request(super().get_object(request, *args, **kwargs), request)

    def subtitle(self, obj: FeedSource) -> str:
        return obj.description

    def feed_guid(self, obj: FeedSource) -> str:
        # The feed's Atom id: its own address, so the site and section feeds never share one.
        return obj.feed_url

    def author_name(self, obj: FeedSource) -> str:
        # Atom wants an author on every entry: the publication answers for entries without a byline.
        return obj.title

    def items(self, obj: FeedSource) -> list[ArticlePage]:
        articles = list(obj.articles[:FEED_SIZE])
        free = [article for article in articles if free_to_read(article)]
        if free:
            # Bodies are deferred in listings; only the free ones are loaded, in one query.
            bodies = ArticlePage.objects.filter(pk__in=[a.pk for a in free]).only("pk", "body")
            by_pk = {page.pk: page.body for page in bodies}
            request = getattr(obj, "request", None)
            for article in free:
                article.body = by_pk[article.pk]
                html = article_body(request=request, article=article, start=0, stop=len(article.body))
                article.feed_content = _absolute_links(str(html))  # type: ignore[attr-defined]
        return articles

    def item_extra_kwargs(self, item: ArticlePage) -> dict[str, Any]:
        # Only set on free articles (see `items`): a gated entry has its summary, never content.
        return {"content": getattr(item, "feed_content", None)}


class SectionAtomFeed(LatestArticlesAtomFeed, SectionFeed):
    """The section's Atom feed: `LatestArticlesAtomFeed.get_object`'s super() is SectionFeed's."""


def _with_request(source: FeedSource, request: HttpRequest) -> AtomSource:
    values = {field.name: getattr(source, field.name) for field in fields(source)}
    values["request"] = request
    return AtomSource(**values)
