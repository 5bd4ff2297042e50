"""Reader search over live, public articles (see masthead.search.selectors for what is searched).

Results show only the headline, kicker, standfirst and date: a search result is never a window
into a body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from masthead.news.selectors import paginate
from masthead.search.selectors import listed_in_order, matching_articles, search_terms

# Long enough for any real question; bounds the work a hostile 10k-character query can cause.
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search_results(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q"))
    terms = search_terms(query)
    results = None
    if terms:
        # Search first, then load the listing fields for the matching page only.
        matches = matching_articles(terms=terms)
        results = paginate(matches, page_number=request.GET.get("page"), per_page=RESULTS_PER_PAGE)
        results.object_list = listed_in_order(matches=list(results.object_list))
    response = TemplateResponse(request, "search/results.html", {"search_query": query, "articles": results})
    # Queries can be personal; keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response
