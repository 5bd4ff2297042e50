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
from django.utils.crypto import salted_hmac

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
    return _cookie_parts(request)[0]


def cookie_left_by(request: HttpRequest) -> str | None:
    """The tag of the account that signed out and left this cookie's reads (see `account_tag`)."""
    return _cookie_parts(request)[1]


def account_tag(user_id: int) -> str:
    # A keyed hash, not the id: the next person at a shared computer learns nothing from it.
    return salted_hmac(COOKIE_SALT, f"left-by:{user_id}", algorithm="sha256").hexdigest()[:16]


def _cookie_parts(request: HttpRequest) -> tuple[str | None, str | None]:
    value = request.get_signed_cookie(METER_COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    if not value:
        return None, None
    version, _, rest = value.partition(".")
    key, _, left_by = rest.partition(".")
    if version != COOKIE_VERSION or not key or len(key) > 40:
        return None, None
    return key, left_by or None


def set_anonymous_cookie(response: HttpResponseBase, key: str, *, left_by: str | None = None) -> None:
    value = f"{COOKIE_VERSION}.{key}" + (f".{left_by}" if left_by else "")
    response.set_signed_cookie(
        METER_COOKIE,
        value,
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
