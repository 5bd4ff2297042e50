"""Who is reading: an account, or an anonymous reader known only by a random id in a signed cookie.

The cookie holds no count, only the id, so a tampered, rolled-back or replayed cookie gains
nothing: tampered or expired yields a new reader, replayed yields the same one.
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

METER_COOKIE = "masthead_meter"
COOKIE_VERSION = "1"
COOKIE_SALT = "masthead.access.meter-cookie"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers accept


@dataclass(frozen=True)
class ReaderIdentity:
    """An explicit reader (the app API passes one); otherwise the request's session or cookie."""

    user_id: int | None = None
    anonymous_key: str | None = None
    is_staff: bool = False

    @classmethod
    def for_user(cls, user: Any) -> ReaderIdentity:
        if not getattr(user, "is_authenticated", False):
            return cls()
        return cls(user_id=int(user.pk), is_staff=bool(user.is_staff and user.is_active))

    @classmethod
    def anonymous(cls, key: str) -> ReaderIdentity:
        return cls(anonymous_key=key)

    @property
    def reader_key(self) -> str | None:
        if self.user_id is not None:
            return f"u:{self.user_id}"
        if self.anonymous_key:
            return f"a:{self.anonymous_key}"
        return None


def new_anonymous_key() -> str:
    return secrets.token_urlsafe(18)


def anonymous_key_from_cookie(request: HttpRequest) -> str | None:
    """The anonymous id in a valid cookie of the current version, or None."""
    value = request.get_signed_cookie(METER_COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    if not value:
        return None
    version, _, key = value.partition(".")
    if version != COOKIE_VERSION or not key or len(key) > 40:
        return None
    return key


def set_anonymous_cookie(response: HttpResponseBase, key: str) -> None:
    response.set_signed_cookie(
        METER_COOKIE,
        f"{COOKIE_VERSION}.{key}",
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=bool(getattr(settings, "MASTHEAD_METER_COOKIE_SECURE", False)),
    )


def is_speculative(request: HttpRequest) -> bool:
    """HEAD, prefetch and prerender requests: the browser is guessing, nobody is reading yet."""
    if request.method == "HEAD":
        return True
    purpose = f"{request.headers.get('Sec-Purpose', '')},{request.headers.get('Purpose', '')}".lower()
    return "prefetch" in purpose or "prerender" in purpose


def is_verified_crawler(request: HttpRequest) -> bool:
    """Only the connecting address counts: User-Agent, Referer and X-Forwarded-For are spoofable.

    Off unless `MASTHEAD_VERIFIED_CRAWLER_NETWORKS` lists networks (e.g. a search engine's
    published ranges). Behind a proxy, set REMOTE_ADDR from a trusted proxy, not here.
    """
    networks = getattr(settings, "MASTHEAD_VERIFIED_CRAWLER_NETWORKS", ())
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
