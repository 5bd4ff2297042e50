"""The reader's "signed-in devices": what the account page lists and lets them sign out."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser

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
