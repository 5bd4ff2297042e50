"""Topic (kicker) pages, author pages and the sitemap: plain Django views, public to every reader."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from masthead.core.page_cache import mark_public
from masthead.news.models import Author, Topic
from masthead.news.selectors import author_articles, paginate, topic_articles
from masthead.news.sitemap import NewsSitemap


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = paginate(topic_articles(topic=topic), page_number=request.GET.get("page"))
    response = TemplateResponse(request, "news/topic_page.html", {"topic": topic, "articles": articles})
    return mark_public(request, response.render(), reads=("page",), shown={"page": str(articles.number)})


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = paginate(author_articles(author=author), page_number=request.GET.get("page"))
    response = TemplateResponse(request, "news/author_page.html", {"author": author, "articles": articles})
    return mark_public(request, response.render(), reads=("page",), shown={"page": str(articles.number)})


def sitemap(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    # Live public pages not past their expiry: the same for everyone, so shared caches may keep it.
    sitemaps = {"wagtail": NewsSitemap}
    sitemap_page = wagtail_sitemap(request, sitemaps, *args, **kwargs).render()
    return mark_public(request, sitemap_page, reads=("p",))  # Django's sitemap pages by ?p=
