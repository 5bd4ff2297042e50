"""Whole public pages kept for anonymous readers: the front page, sections, topics, authors, feeds.

Only pages that say they are the same for every anonymous reader are kept (`mark_public`), and
only for requests that carry nothing personal: GET or HEAD, no Authorization header and no
cookie but the meter cookie (which these pages never read). Articles never opt in: every article
response depends on its reader's meter and keeps `private, no-store`.

A hit is served before the session, locale, CSRF and authentication middleware run, in one cache
round trip that fetches the page and the site's generation (`masthead.core.generation`) together.
Any edit readers could see starts a new generation, so every kept page is dropped at once without
listing the keys; the short lifetime covers anything else (a translation, a new offer).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation

from masthead.access.identity import METER_COOKIE
from masthead.core.generation import GENERATION_KEY, remember_generation, start_generation

ENTRY_PREFIX = "masthead:page-cache:v1:"
DEFAULT_SECONDS = 60
HIT_HEADER = "X-Page-Cache"
# Cookies that never change what a public page shows: the meter id is read only by articles.
IGNORED_COOKIES = frozenset({METER_COOKIE})
_UNSHAREABLE = ("private", "no-store", "no-cache")

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def page_cache_seconds() -> int:
    return int(getattr(settings, "MASTHEAD_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def mark_public(request: HttpRequest, response: ResponseT) -> ResponseT:
    """A view's promise: this response is the same for every anonymous reader of this URL.

    Only an anonymous request's copy is marked: a signed-in reader's page names their account,
    and `public` on it would let a shared cache hand it to someone else.
    """
    seconds = page_cache_seconds()
    if seconds > 0 and "Cache-Control" not in response and _is_anonymous(request):
        response["Cache-Control"] = f"public, max-age={seconds}"
        response.masthead_public_page = True  # type: ignore[attr-defined]
    return response


def _is_anonymous(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    # A session, a language choice, a CSRF token: this reader may see a page of their own.
    if not IGNORED_COOKIES.issuperset(request.COOKIES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _entry_key(request: HttpRequest) -> str | None:
    if not _is_anonymous(request):
        return None
    language = translation.get_language_from_request(request)
    host = request._get_raw_host().lower()  # the same raw host Wagtail picks the site by
    raw = f"{request.scheme}|{host}|{language}|{request.get_full_path()}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _shareable(response: HttpResponseBase) -> bool:
    if not getattr(response, "masthead_public_page", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    # Something downstream (a view restriction, never_cache) may have made it private since.
    return "public" in control and not any(word in control for word in _UNSHAREABLE)


def _freeze(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(name, value) for name, value in response.items() if name.lower() != HIT_HEADER.lower()]
    return response.status_code, headers, response.content


def _thaw(entry: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = entry
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HIT_HEADER] = "hit"
    return response


class AnonymousPageCacheMiddleware:
    """Serve and keep public pages for anonymous readers (see the module docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        seconds = page_cache_seconds()
        key = _entry_key(request) if seconds > 0 else None
        if key is None:
            return self.get_response(request)
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        stored = found.get(key)
        if generation is not None and stored is not None and stored[0] == generation:
            return _thaw(stored[1])
        if generation is None:
            generation = start_generation()
        # The view's own per-process caches check against the same number: no second round trip.
        remember_generation(request, generation)
        response = self.get_response(request)
        if _shareable(response) and isinstance(response, HttpResponse):
            cache.set(key, (generation, _freeze(response)), seconds)
            response[HIT_HEADER] = "miss"
        return response
