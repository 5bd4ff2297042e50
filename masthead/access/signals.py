"""On login, the anonymous reads of this period join the account's: a union, never a double count."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest
from django.utils import timezone

from masthead.access.identity import ReaderIdentity, anonymous_key_from_cookie
from masthead.access.meter import MeterStoreUnavailable, meter_store
from masthead.access.paywall_config import paywall_config
from masthead.access.periods import current_period

logger = logging.getLogger(__name__)


def merge_reads_into_account(*, request: HttpRequest, anonymous_key: str, user_id: int) -> bool:
    """Move this period's reads of an anonymous reader (web cookie or app device) into an account.

    A union: an article read on both sides counts once. Returns False when the meter store could
    not be reached; signing in must still work, and the reads stay with the anonymous id.
    """
    config = paywall_config(request=request)
    now = timezone.now()
    period = current_period(now=now, kind=config.period, zone=config.zone, rolling_days=config.rolling_days)
    from_key = ReaderIdentity(anonymous_key=anonymous_key).reader_key
    into_key = ReaderIdentity(user_id=user_id).reader_key
    assert from_key is not None and into_key is not None
    try:
        meter_store().merge(from_key=from_key, into_key=into_key, period=period, now=now)
    except MeterStoreUnavailable as exc:
        logger.warning("could not merge anonymous reads on login: %s", exc)
        return False
    return True


def merge_anonymous_reads(*, request: HttpRequest, user_id: int) -> None:
    key = anonymous_key_from_cookie(request)
    if key:
        merge_reads_into_account(request=request, anonymous_key=key, user_id=user_id)


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    merge_anonymous_reads(request=request, user_id=int(user.pk))


def connect_signals() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="masthead-access-merge-meter")
