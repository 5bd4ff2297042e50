"""Hands a request's events to the recorder once the response is ready, and counts wall clicks.

A click on the wall's "Register" or "Subscribe" is seen on the server when the page it leads to is
asked for with the wall's mark (`?from=wall`, on the prompt's links only) from one of our own pages
(the Referer's host is ours): no script, no third party. The header's Subscribe and Register
links carry no mark, so a reader who was never walled is not counted as clicking the wall.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from masthead.analytics import keys, recorder
from masthead.analytics.models import Kind

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "masthead_analytics_request", default=None
)

CLICK_PATHS = (("/accounts/signup/", Kind.PROMPT_CLICK), ("/subscribe/", Kind.OFFER_CLICK))


class AnalyticsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        if request.method == "GET" and response.status_code == 200:
            kind = click_kind(request)
            if kind is not None:
                _record_click(request, kind)
        events = getattr(request, recorder.REQUEST_ATTR, None)
        if events:
            recorder.submit(events)
        return response


WALL_MARK = ("from", "wall")


def click_kind(request: HttpRequest) -> str | None:
    path = request.path
    if request.GET.get(WALL_MARK[0]) != WALL_MARK[1]:
        return None
    for prefix, kind in CLICK_PATHS:
        if path.endswith(prefix) and path.count("/") <= 4:
            referer = request.headers.get("Referer", "")
            if not referer or urlsplit(referer).path == path:
                return None
            if keys.referrer_class(request) != "internal" or keys.is_excluded(request):
                return None
            return kind
    return None


def _record_click(request: HttpRequest, kind: str) -> None:
    from masthead.analytics.tracking import conversion

    user = getattr(request, "user", None)
    account_id = int(user.pk) if user is not None and user.is_authenticated else None
    event = conversion(kind, account_id=account_id, request=request)
    # The click happened on the article it came from: the last one read.
    event.article_id = event.last_touch_article_id
    recorder.add_to_request(request, event)
