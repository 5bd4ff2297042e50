"""The browser's meter follows sign-in and sign-out.

On login, the anonymous reads of this period join the account's: a union, never a double count.
On logout, the browser keeps the account's reads under a new anonymous id, so signing out is not a
way to a fresh allowance: a reader at the offer meets the registration wall, a reader with one
article read keeps "2 left". The cookie names (by a keyed hash) the account that left them, so they
join that account again on its next login and never another's.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from masthead.access.identity import (
    ReaderIdentity,
    account_tag,
    anonymous_key_from_cookie,
    cookie_left_by,
    new_anonymous_key,
    set_anonymous_cookie,
)
from masthead.access.meter import MeterStoreUnavailable, meter_store
from masthead.access.paywall_config import paywall_config
from masthead.access.periods import current_period

logger = logging.getLogger(__name__)

# Set on the request by the logout signal; `MeterCookieMiddleware` writes it on the response
# (a signal has the request, never the response).
_KEY_AFTER_LOGOUT = "_masthead_meter_key_after_logout"


def _copy_reads(*, request: HttpRequest, from_key: str, into_key: str) -> bool:
    """Union this period's reads of `from_key` into `into_key`; False if the store is down."""
    # A request made up by code (the test client's logout) has no host to find the site by.
    has_host = "HTTP_HOST" in request.META or "SERVER_NAME" in request.META
    config = paywall_config(request=request if has_host else None)
    now = timezone.now()
    period = current_period(now=now, kind=config.period, zone=config.zone, rolling_days=config.rolling_days)
    try:
        meter_store().merge(from_key=from_key, into_key=into_key, period=period, now=now)
    except MeterStoreUnavailable as exc:
        logger.warning("could not copy meter reads %s -> %s: %s", from_key[:2], into_key[:2], exc)
        return False
    return True


def merge_reads_into_account(*, request: HttpRequest, anonymous_key: str, user_id: int) -> bool:
    """Move this period's reads of an anonymous reader (web cookie or app device) into an account.

    A union: an article read on both sides counts once. Returns False when the meter store could
    not be reached; signing in must still work, and the reads stay with the anonymous id.
    """
    from_key = ReaderIdentity(anonymous_key=anonymous_key).reader_key
    into_key = ReaderIdentity(user_id=user_id).reader_key
    assert from_key is not None and into_key is not None
    return _copy_reads(request=request, from_key=from_key, into_key=into_key)


def merge_anonymous_reads(*, request: HttpRequest, user_id: int) -> None:
    key = anonymous_key_from_cookie(request)
    left_by = cookie_left_by(request)
    # Reads another account left in this browser when it signed out are that account's: the next
    # person to sign in at a shared computer does not inherit them.
    if key and left_by in (None, account_tag(user_id)):
        merge_reads_into_account(request=request, anonymous_key=key, user_id=user_id)


def leave_reads_with_browser(*, request: HttpRequest, user_id: int) -> str:
    """A new anonymous id holding the account's reads of this period, for the signed-out browser.

    A new id: the one from before sign-in, if any, already gave its reads to the account. If the
    store is down the id starts empty; logging out must still work.
    """
    key = new_anonymous_key()
    from_key = ReaderIdentity(user_id=user_id).reader_key
    into_key = ReaderIdentity(anonymous_key=key).reader_key
    assert from_key is not None and into_key is not None
    _copy_reads(request=request, from_key=from_key, into_key=into_key)
    return key


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    merge_anonymous_reads(request=request, user_id=int(user.pk))


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Every logout door sends this signal (allauth's view, Django's and Wagtail's, a password
    # change that signs the reader out); `user` is None when nobody was signed in.
    if request is None or user is None or user.pk is None:
        return
    key = leave_reads_with_browser(request=request, user_id=int(user.pk))
    setattr(request, _KEY_AFTER_LOGOUT, (key, account_tag(int(user.pk))))


class MeterCookieMiddleware:
    """Gives a browser that just signed out the meter cookie holding its account's reads."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        left = getattr(request, _KEY_AFTER_LOGOUT, None)
        if left:
            key, left_by = left
            set_anonymous_cookie(response, key, left_by=left_by)
        return response


def connect_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="masthead-access-merge-meter")
    user_logged_out.connect(_on_logout, dispatch_uid="masthead-access-meter-after-logout")
