"""What `GET /me` tells a reader about themselves: entitlements and this period's meter.

Built from the paywall's own pieces (the same config, period, store and reader classification
as `article_access`), so the numbers match what the next article will say.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from masthead.access.identity import ReaderIdentity
from masthead.access.models import Entitlement, EntitlementKind
from masthead.access.paywall_config import paywall_config
from masthead.access.policy import ENTITLED_KINDS, EntitlementFact, ReaderKind, classify_reader
from masthead.access.reading import reads_this_period
from masthead.api.errors import ApiError
from masthead.api.models import ApiToken


def _entitlements(user_id: int) -> list[Entitlement]:
    return list(Entitlement.objects.filter(user_id=user_id).order_by("-starts_at"))


def reader_profile(*, request: HttpRequest, token: ApiToken) -> dict[str, Any]:
    now = timezone.now()
    if token.user_id is None:
        identity, entitlements = ReaderIdentity.anonymous(token.reader_key), []
        kind = ReaderKind.ANONYMOUS
    else:
        identity, entitlements = ReaderIdentity.for_user(token.user), _entitlements(token.user_id)
        facts = [
            EntitlementFact(
                is_trial=e.kind == EntitlementKind.TRIAL, starts_at=e.starts_at, ends_at=e.ends_at
            )
            for e in entitlements
        ]
        kind = classify_reader(authenticated=True, staff=identity.is_staff, entitlements=facts, now=now)
    entitled = kind in ENTITLED_KINDS
    return {
        "anonymous": token.user_id is None,
        "email": token.user.email if token.user_id is not None else None,
        "entitled": entitled,
        "entitlements": [
            {"kind": e.kind, "starts_at": e.starts_at, "ends_at": e.ends_at}
            for e in entitlements
            if e.starts_at <= now and (e.ends_at is None or e.ends_at > now)
        ],
        "meter": None if entitled else _meter(request=request, identity=identity, kind=kind, now=now),
    }


def _meter(*, request: HttpRequest, identity: ReaderIdentity, kind: ReaderKind, now: Any) -> dict[str, Any]:
    from masthead.access.meter import MeterStoreUnavailable
    from masthead.access.policy import MeterRule

    config = paywall_config(request=request)
    limit = MeterRule(
        anonymous_limit=config.anonymous_limit, registered_limit=config.registered_limit
    ).limit_for(kind)
    try:
        period, read_count = reads_this_period(reader_key=identity.reader_key or "", now=now, request=request)
    except MeterStoreUnavailable as exc:
        raise ApiError(503, "meter_unavailable", "We cannot check your free articles right now.") from exc
    return {
        "limit": limit,
        "read": read_count,
        "remaining": max(limit - read_count, 0),
        "period_ends_at": None if period.is_rolling else period.ends_at,
    }


def adopt_device_reads(*, request: HttpRequest, user_id: int) -> None:
    """An anonymous app reader who signs in keeps their free reads: the device token sent with the
    sign-in request has its period's reads merged into the account (a union, like the web's
    cookie on login) and is then signed out, since the account token replaces it."""
    from masthead.access.signals import merge_reads_into_account
    from masthead.api.tokens import resolve_token, revoke_token

    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    device = resolve_token(token=token.strip()) if scheme.lower() == "bearer" else None
    if device is None or device.user_id is not None:
        return
    if merge_reads_into_account(request=request, anonymous_key=device.reader_key, user_id=user_id):
        revoke_token(record=device)
