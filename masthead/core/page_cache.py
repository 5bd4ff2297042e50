"""Whole public pages kept for anonymous readers: the front page, sections, topics, authors, feeds.

Only pages that say they are the same for every anonymous reader are kept (`mark_public`), and
only for requests that carry nothing personal: GET or HEAD, no Authorization header and no
cookie but the meter and language cookies (which these pages never read). Articles never opt
in: every article response depends on its reader's meter and keeps `private, no-store`.

A hit is served before the session, CSRF and authentication middleware run (after the language
is read from the URL: each language version is kept apart), in one cache round trip that
fetches the page and the site's generation (`masthead.core.generation`) together.
Any edit readers could see starts a new generation, so every kept page is dropped at once without
listing the keys; the short lifetime covers anything else (a translation, a new offer).

An expiry passes without an edit, so a kept page never outlives the soonest `expire_at` among live
pages: its lifetime (and its `max-age`) stops there. Finding that moment is one indexed query per
generation per worker, remembered with the generation it was read under; it is asked again only
once the remembered moment has passed.

A kept page is keyed on its path and the query parameters it reads (`mark_public(reads=...)`),
each normalised the way the page reads it, never on the raw query string: `/?r=<random>` is the
front page, and a thousand such URLs are one entry, not a thousand. Which parameters a path reads
is learnt from its first render and kept beside the pages, so a request carrying others is
still served the kept page. A request with parameters is rendered with them as they came (the
view ignores what it does not read), so the copy kept under the canonical key is that page.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone, translation

from masthead.access.identity import METER_COOKIE
from masthead.core.generation import (
    GENERATION_KEY,
    current_generation,
    remember_generation,
    start_generation,
)
from masthead.core.site_url import site_root_url

# v2: entries carry the moment they stop being good (v1 entries, without it, are never read).
ENTRY_PREFIX = "masthead:page-cache:v2:"
DEFAULT_SECONDS = 60
HIT_HEADER = "X-Page-Cache"
# Cookies that never change what a public page shows: the meter id is read only by articles, and
# a public page's language is named by its URL (a reader's choice redirects a plain URL before
# this middleware runs: masthead.core.language_urls).
IGNORED_COOKIES = frozenset({METER_COOKIE, settings.LANGUAGE_COOKIE_NAME})
_UNSHAREABLE = ("private", "no-store", "no-cache")
# Which kept-page parameters a path reads, as its first render said.
READS_PREFIX = "masthead:page-cache:reads:v1:"
READS_SECONDS = 24 * 60 * 60  # code decides what a path reads: it changes only with a deploy

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


def _number(value: str) -> str | None:
    # As Django's Paginator reads it: not a number, or 1, is page 1 (the same page as no
    # parameter), zero or less is the last page; the rest by value, so "02" and "2" are one entry.
    try:
        number = int(value)
    except ValueError:
        return None
    return None if number == 1 else str(max(number, 0))


def _flag(value: str) -> str | None:
    # `{% if request.GET.print %}`: any non-empty value is the same print view.
    return "1" if value else None


# Every query parameter a kept page may read, with how its value is normalised. A page that reads
# something else cannot be kept: `mark_public` refuses to promise it.
PAGE_PARAMETERS: dict[str, Callable[[str], str | None]] = {
    "page": _number,  # listings: sections, topics, authors
    "p": _number,  # Django's sitemap pages
    "print": _flag,  # base.html's print view, on every HTML page
}


def page_cache_seconds() -> int:
    return int(getattr(settings, "MASTHEAD_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def mark_public(
    request: HttpRequest,
    response: ResponseT,
    *,
    reads: tuple[str, ...] = (),
    shown: dict[str, str] | None = None,
) -> ResponseT:
    """A view's promise: this response is the same for every anonymous reader of this path and
    these query parameters (`reads`, names from PAGE_PARAMETERS); any other parameter is ignored.

    `shown` names what was really shown when the view corrected a value (`?page=999` shows the
    last page): the copy is kept under the page shown, so out-of-range numbers add no entries.

    Only an anonymous request's copy is marked: a signed-in reader's page names their account,
    and `public` on it would let a shared cache hand it to someone else.
    """
    unknown = sorted(set(reads) - PAGE_PARAMETERS.keys())
    if unknown:
        raise ValueError(
            f"A kept page can read only {sorted(PAGE_PARAMETERS)} from the query string, not {unknown}"
        )
    seconds = page_cache_seconds()
    if seconds > 0 and "Cache-Control" not in response and _is_anonymous(request):
        now = time.time()
        keep_until = now + seconds
        expiry = _soonest_expiry(request)
        if expiry is not None:
            keep_until = min(keep_until, expiry.timestamp())
        max_age = math.floor(keep_until - now)
        if max_age < 1:
            return response  # a page expires within the second: nobody keeps this copy
        response["Cache-Control"] = f"public, max-age={max_age}"
        response.masthead_public_page = True  # type: ignore[attr-defined]
        response.masthead_keep_until = keep_until  # type: ignore[attr-defined]
        if response.get("Content-Type", "").startswith("text/html"):
            reads = (*reads, "print")  # base.html reads it on every HTML page
        response.masthead_reads = tuple(sorted(set(reads)))  # type: ignore[attr-defined]
        response.masthead_shown = dict(shown or {})  # type: ignore[attr-defined]
    return response


# (generation, the soonest future expire_at among live pages or None) as last read by this worker.
_remembered_expiry: tuple[int, datetime | None] | None = None


def _soonest_expiry(request: HttpRequest) -> datetime | None:
    global _remembered_expiry
    generation = current_generation(request)
    now = timezone.now()
    remembered = _remembered_expiry
    if remembered is not None and remembered[0] == generation:
        # Setting or changing an expiry is an edit (a new generation): only the clock moves it on.
        soonest = remembered[1]
        if soonest is None or soonest > now:
            return soonest
    from wagtail.models import Page

    found: datetime | None = (
        Page.objects.filter(live=True, expire_at__gt=now)
        .order_by("expire_at")
        .values_list("expire_at", flat=True)
        .first()
    )
    if not connection.in_atomic_block:  # never remember what a rollback may undo
        _remembered_expiry = (generation, found)
    return found


def _is_anonymous(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return False
    # A session, a CSRF token: this reader may see a page of their own.
    if not IGNORED_COOKIES.issuperset(request.COOKIES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _where(request: HttpRequest) -> str:
    host = request._get_raw_host().lower()  # the same raw host Wagtail picks the site by
    # Absolute links in a kept page name the site URL: a new one (a restart with another
    # MASTHEAD_SITE_URL, `make demo` on another port) never gets a page kept under the old.
    return f"{site_root_url()}|{request.scheme}|{host}|{request.path}"


def _reads_key(request: HttpRequest) -> str:
    return READS_PREFIX + hashlib.sha256(_where(request).encode()).hexdigest()


def _entry_key(request: HttpRequest, reads: tuple[str, ...], shown: dict[str, str] | None = None) -> str:
    """The kept page's key: where, in which language, and the normalised `reads` in one order."""
    # As LanguageUrlMiddleware decided it: from the URL for public pages (/ja/…), never from
    # Accept-Language there, so one kept page serves every anonymous reader of that URL.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(request)
    wanted = []
    for name in sorted(reads):
        # What the view showed if it said so, else the last value, as the view reads it.
        value = (shown or {}).get(name, request.GET.get(name))
        normalised = None if value is None else PAGE_PARAMETERS[name](value)
        if normalised is not None:
            wanted.append(f"{name}={normalised}")
    raw = f"{_where(request)}|{language}|{'&'.join(wanted)}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _guessed_reads(request: HttpRequest) -> tuple[str, ...]:
    # Before the path's reads are known: the known parameters this request carries.
    return tuple(sorted(name for name in PAGE_PARAMETERS if name in request.GET))


def _shareable(response: HttpResponseBase) -> bool:
    if not getattr(response, "masthead_public_page", False) or response.status_code != 200:
        return False
    if response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "")
    # Something downstream (a view restriction, never_cache) may have made it private since.
    return "public" in control and not any(word in control for word in _UNSHAREABLE)


def _showed_messages(request: HttpRequest) -> bool:
    """Whether this response may carry a flash message ("You are logged out."): one reader's
    message must never be kept for everyone. A request that brings one (a cookie, a session) is
    never anonymous; this also covers a message added and shown within one request."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(getattr(storage, "_queued_messages", None) or getattr(storage, "_loaded_data", None))


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
        if seconds <= 0 or not _is_anonymous(request):
            return self.get_response(request)
        # One round trip for a plain URL: the generation, the path's reads and the likely entry.
        guessed_key = _entry_key(request, _guessed_reads(request))
        reads_key = _reads_key(request)
        found = cache.get_many([GENERATION_KEY, reads_key, guessed_key])
        generation = found.get(GENERATION_KEY)
        stored = found.get(guessed_key)
        reads = found.get(reads_key)
        if stored is None and reads is not None:
            # Parameters the page does not read (`?r=<random>`, `?page=` on the front page):
            # a second round trip for the canonical entry, never a new one.
            key = _entry_key(request, tuple(reads))
            if key != guessed_key:
                stored = cache.get(key)
        if generation is not None and stored is not None and stored[0] == generation:
            keep_until, entry = stored[1], stored[2]
            if time.time() < keep_until:
                return _thaw(entry)
        if generation is None:
            generation = start_generation()
        # The view's own per-process caches check against the same number: no second round trip.
        remember_generation(request, generation)
        response = self.get_response(request)
        if _shareable(response) and not _showed_messages(request) and isinstance(response, HttpResponse):
            keep_until = float(getattr(response, "masthead_keep_until", time.time() + seconds))
            lifetime = math.ceil(keep_until - time.time())
            if lifetime > 0:
                page_reads: tuple[str, ...] = getattr(response, "masthead_reads", ())
                if reads is None or tuple(reads) != page_reads:
                    cache.set(reads_key, page_reads, READS_SECONDS)
                key = _entry_key(request, page_reads, getattr(response, "masthead_shown", None))
                cache.set(key, (generation, keep_until, _freeze(response)), lifetime)
                response[HIT_HEADER] = "miss"
        return response
