"""What a reader gets when a dependency the request needs is down: a 503 that says so, never a 500.

One place decides which failures are outages (the database unreachable or refusing connections,
Redis unreachable where it is used directly) and what each kind of request gets:

- a web page: the branded "back in a moment" page, `503` with `Retry-After`;
- the apps API: `503 {"code": "unavailable", ...}` with `Retry-After`.

Cached public pages are served before anything touches the database (`core.page_cache`), and the
cache itself degrades on its own (`core.redis_cache`); the meter store fails closed in `access`.
Everything else that needs the database lands here through Django's 500 handler, wherever it
was raised (a view, a template, a middleware), because that handler sees the exception in hand.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

logger = logging.getLogger("masthead.outages")

RETRY_AFTER_SECONDS = 5
API_PREFIX = "/api/"


def is_outage(exc: BaseException | None) -> bool:
    """A dependency that is down or unreachable, not a bug in this code."""
    if exc is None:
        return False
    if isinstance(exc, (OperationalError, InterfaceError)):
        return True
    try:
        import redis
    except ImportError:  # pragma: no cover - redis is a dependency
        return False
    return isinstance(exc, (redis.ConnectionError, redis.TimeoutError))


def unavailable_json() -> JsonResponse:
    response = JsonResponse(
        {"code": "unavailable", "message": "The service is briefly unavailable. Try again shortly."},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def unavailable_page(request: HttpRequest) -> HttpResponse:
    # Rendered with no request context: context processors may need the database that is down.
    context = {"site_name": settings.WAGTAIL_SITE_NAME, "retry_after": RETRY_AFTER_SECONDS}
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


def unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return unavailable_json()
    return unavailable_page(request)
