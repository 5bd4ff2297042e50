"""Branded error pages and robots.txt. Error pages never include article content."""

from __future__ import annotations

import sys

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import reverse

from masthead.core import outages
from masthead.core.site_url import absolute_url

# Crawlers may read articles (they get what an anonymous reader gets); private and
# per-reader pages stay out of the index.
ROBOTS_DISALLOW = ("/admin/", "/django-admin/", "/accounts/", "/api/", "/search/")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", {}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Called while the exception is being handled: a dependency outage is a 503 with
    # Retry-After (masthead.core.outages), anything else the branded 500.
    if outages.is_outage(sys.exc_info()[1]):
        return outages.unavailable(request)
    if request.path.startswith(outages.API_PREFIX):
        return JsonResponse(
            {"code": "server_error", "message": "Something went wrong on our side."}, status=500
        )
    # No request context: the failure may be in a context processor or the database.
    context = {"site_name": settings.WAGTAIL_SITE_NAME}
    return HttpResponse(loader.render_to_string("500.html", context), status=500)


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    # The index lists every sitemap; the ordinary and news sitemaps are named too, for crawlers
    # that read only one level.
    for name in ("news:sitemap_index", "news:sitemap", "news:news_sitemap"):
        lines.append(f"Sitemap: {absolute_url(reverse(name))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
