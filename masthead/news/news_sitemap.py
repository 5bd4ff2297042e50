"""The Google News sitemap and the sitemap index that lists it beside the ordinary sitemap.

Google News reads only stories published in the last two days, at most 1,000 of them, each with
the publication's name and language, the headline and the first publication time. Sponsored
pieces are left out: they are advertising, not news, and Google News's content policies keep paid
content out of its news results. Unpublished, private and expired stories never appear (the same
rules as every other listing: live, public, `still_running`).

Both are the same for every reader and kept in the page cache like the ordinary sitemap; the
cache's short lifetime moves the two-day window on, and any publish starts a new generation.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.xmlutils import SimplerXMLGenerator
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.core.page_cache import mark_public
from masthead.core.site_url import absolute_url
from masthead.news.models import ArticlePage
from masthead.news.sitemap import NewsSitemap

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000
XML_CONTENT_TYPE = "application/xml; charset=utf-8"


def news_language(language_code: str) -> str:
    """The ISO 639 code Google News wants: "en", "ja"; Chinese keeps its script ("zh-cn", "zh-tw")."""
    code = language_code.lower()
    if code.startswith("zh-"):
        return {"zh-hans": "zh-cn", "zh-hant": "zh-tw"}.get(code, code)
    return code.split("-")[0]


def w3c_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def news_articles(request: HttpRequest, *, now: datetime | None = None) -> Any:
    since = (now or timezone.now()) - NEWS_WINDOW
    articles = (
        ArticlePage.objects.live()
        .public()
        .not_expired()
        .filter(first_published_at__gte=since, sponsor__isnull=True)
        .defer_streamfields()
        .order_by("-first_published_at", "-pk")
    )
    site = Site.find_for_request(request)
    if site is not None:
        articles = articles.descendant_of(site.root_page)
    return articles[:NEWS_LIMIT]


def news_sitemap(request: HttpRequest) -> HttpResponse:
    publication = PublicationSettings.for_request(request)
    language = news_language(settings.LANGUAGE_CODE)
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8")
    xml.startDocument()
    xml.startElement("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    for article in news_articles(request):
        xml.startElement("url", {})
        xml.addQuickElement("loc", article.get_full_url(request=request) or absolute_url("/"))
        xml.startElement("news:news", {})
        xml.startElement("news:publication", {})
        xml.addQuickElement("news:name", publication.name)
        xml.addQuickElement("news:language", language)
        xml.endElement("news:publication")
        xml.addQuickElement("news:publication_date", w3c_datetime(article.first_published_at))
        xml.addQuickElement("news:title", article.title)
        xml.endElement("news:news")
        xml.endElement("url")
    xml.endElement("urlset")
    xml.endDocument()
    return mark_public(request, HttpResponse(out.getvalue(), content_type=XML_CONTENT_TYPE))


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Every sitemap of the site: each page of the ordinary sitemap, then the news sitemap."""
    ordinary = absolute_url(reverse("news:sitemap"))
    pages = NewsSitemap(request).paginator.num_pages
    locations = [ordinary] + [f"{ordinary}?p={number}" for number in range(2, pages + 1)]
    locations.append(absolute_url(reverse("news:news_sitemap")))
    out = StringIO()
    xml = SimplerXMLGenerator(out, "utf-8")
    xml.startDocument()
    xml.startElement("sitemapindex", {"xmlns": SITEMAP_NS})
    for location in locations:
        xml.startElement("sitemap", {})
        xml.addQuickElement("loc", location)
        xml.endElement("sitemap")
    xml.endElement("sitemapindex")
    xml.endDocument()
    return mark_public(request, HttpResponse(out.getvalue(), content_type=XML_CONTENT_TYPE))
