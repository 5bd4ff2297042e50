"""Issuing, resolving and revoking app tokens. The clear token leaves the server once, at issue."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone

from masthead.api.models import ApiToken

TOKEN_PREFIX = "mh_"  # noqa: S105 (a marker, not a secret)
# Writing last_used_at on every request would turn reads into writes; a few minutes is precise enough.
LAST_USED_PRECISION = timedelta(minutes=5)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the only copy of the clear token
    record: ApiToken


def _issue(*, user: AbstractBaseUser | None, device_name: str, reader_key: str = "") -> IssuedToken:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(
        user=user, key_hash=hash_token(token), device_name=device_name[:100], reader_key=reader_key
    )
    return IssuedToken(token=token, record=record)


def issue_user_token(*, user: AbstractBaseUser, device_name: str) -> IssuedToken:
    return _issue(user=user, device_name=device_name)


def issue_device_token(*, device_name: str) -> IssuedToken:
    # The random reader key is the anonymous meter key: unguessable and unrelated to the token.
    return _issue(user=None, device_name=device_name, reader_key=secrets.token_hex(16))


def resolve_token(*, token: str) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    if record is None or (record.user is not None and not record.user.is_active):
        return None
    now = timezone.now()
    if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        record.last_used_at = now
    return record


def revoke_token(*, record: ApiToken) -> None:
    ApiToken.objects.filter(pk=record.pk).delete()
