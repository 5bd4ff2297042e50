"""Reader search over live, public articles: headline, standfirst and body are searched, but results
show only the headline, kicker, standfirst and date: a search result is never a window into a body."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from masthead.news.models import ArticlePage
from masthead.news.selectors import paginate

# Long enough for any real question; bounds the work a hostile 10k-character query can cause.
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search_terms(query: str) -> str:
    """Words only, lower-cased: quotes, brackets and AND/OR/NEAR would otherwise reach the
    full-text engine as syntax (SQLite FTS5 rejects an unbalanced quote)."""
    return " ".join(re.findall(r"\w+", query.lower()))


def search_results(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q"))
    terms = search_terms(query)
    results = None
    if terms:
        # Search first, then load the listing fields for the matching page only.
        matches = ArticlePage.objects.live().public().search(terms, operator="and")
        results = paginate(matches, page_number=request.GET.get("page"), per_page=RESULTS_PER_PAGE)
        ids = [article.pk for article in results.object_list]
        by_id = {a.pk: a for a in ArticlePage.objects.filter(pk__in=ids).for_listing()}
        results.object_list = [by_id[pk] for pk in ids if pk in by_id]
    response = TemplateResponse(request, "search/results.html", {"search_query": query, "articles": results})
    # Queries can be personal; keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
