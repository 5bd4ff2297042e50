"""Branded error pages. They never include article content."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponse(loader.render_to_string("404.html", {}, request), status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may be in a context processor or the database.
    return HttpResponse(loader.render_to_string("500.html", {}), status=500)
