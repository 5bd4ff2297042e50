"""The reader's "signed-in devices": what the account page lists and lets them sign out; and
the cap on new anonymous devices, the app's side of the web's cap on new anonymous readers."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from masthead.access.meter import MeterStoreUnavailable
from masthead.access.new_readers import admit_new_reader, day_window
from masthead.access.paywall_config import paywall_config
from masthead.api.errors import ApiError
from masthead.api.models import ApiToken


def signed_in_devices(*, user: AbstractBaseUser) -> list[ApiToken]:
    """The apps signed in to this account, most recently used first."""
    return list(ApiToken.objects.filter(user=user).order_by("-last_used_at", "-created_at"))


def revoke_device(*, user: AbstractBaseUser, device_id: int) -> bool:
    """Sign one app out. Only the owner can; returns whether a device was signed out."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=device_id).delete()
    return deleted > 0


def revoke_all_devices(*, user: AbstractBaseUser) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def admit_new_device(*, request: HttpRequest) -> None:
    """An anonymous device token is a new anonymous reader with a fresh allowance, so it counts
    against the same per-address daily cap as a browser without a meter cookie (one count for
    both doors). Past the cap: 429 until the publication's next day."""
    config = paywall_config(request=request)
    now = timezone.now()
    try:
        admitted = admit_new_reader(request=request, config=config, now=now)
    except MeterStoreUnavailable as exc:
        raise ApiError(503, "meter_unavailable", "We cannot start a new reader right now.") from exc
    if not admitted:
        raise ApiError(
            429,
            "rate_limited",
            "Too many new anonymous readers from this network today. Sign in, or try again tomorrow.",
            retry_after=max(int((day_window(now=now, zone=config.zone).ends_at - now).total_seconds()), 1),
        )
