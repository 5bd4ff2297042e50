"""Topic (kicker) pages and author pages: plain Django views over the same listing selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead.news.models import Author, Topic
from masthead.news.selectors import author_articles, paginate, topic_articles


def topic_page(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = paginate(topic_articles(topic=topic), page_number=request.GET.get("page"))
    return TemplateResponse(request, "news/topic_page.html", {"topic": topic, "articles": articles})


def author_page(request: HttpRequest, slug: str) -> HttpResponse:
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = paginate(author_articles(author=author), page_number=request.GET.get("page"))
    return TemplateResponse(request, "news/author_page.html", {"author": author, "articles": articles})
