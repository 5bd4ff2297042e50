"""Issuing, resolving and revoking app tokens. The clear token leaves the server once, at issue."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone

from masthead.access import reader_state
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


def resolve_token(*, token: str, request: HttpRequest | None = None) -> ApiToken | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    if request is not None and reader_state.enabled():
        record = _kept_token(request=request, key_hash=hash_token(token))
    else:
        record = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    if record is None or (record.user_id is not None and (record.user is None or not record.user.is_active)):
        return None
    now = timezone.now()
    last_used = max(filter(None, (record.last_used_at, _last_written.get(record.key_hash))), default=None)
    if last_used is None or now - last_used > LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        if len(_last_written) > 10_000:
            _last_written.clear()
        record.last_used_at = _last_written[record.key_hash] = now
    return record


# With MASTHEAD_READER_CACHE an app's token is read from the shared cache (masthead.access.
# reader_state: a tombstone when it is revoked or changed, keyed by the site generation), and its
# account from the account's kept record (masthead.accounts.session_user), so an article read by
# an app costs no query. `last_used_at` is written (at most every LAST_USED_PRECISION) without
# touching the kept token; each worker remembers when it last wrote it.
_TOKEN_FIELDS = ("id", "user_id", "key_hash", "reader_key", "device_name", "created_at", "last_used_at")
_last_written: dict[str, datetime] = {}  # by token hash


def _load_token(key_hash: str) -> tuple[Any, ...] | None:
    return ApiToken.objects.filter(key_hash=key_hash).values_list(*_TOKEN_FIELDS).first()


kept_tokens: reader_state.AccountRecords[tuple[Any, ...] | None] = reader_state.AccountRecords(
    "app-token", _load_token
)


def _kept_token(*, request: HttpRequest, key_hash: str) -> ApiToken | None:
    from masthead.accounts.session_user import active_account

    row = kept_tokens.get(key_hash, request=request)
    if row is None:
        return None
    record = ApiToken.from_db("default", list(_TOKEN_FIELDS), list(row))
    if record.user_id is not None:
        user = active_account(request, int(record.user_id))
        if user is None:
            return None  # the account is gone or deactivated: the token no longer signs anyone in
        record.user = user
    return record


def _token_changed(instance: ApiToken, **kwargs: Any) -> None:
    kept_tokens.forget(instance.key_hash)


def connect_signals() -> None:
    post_save.connect(_token_changed, sender=ApiToken, dispatch_uid="kept-app-token-save")
    post_delete.connect(_token_changed, sender=ApiToken, dispatch_uid="kept-app-token-delete")


def revoke_token(*, record: ApiToken) -> None:
    ApiToken.objects.filter(pk=record.pk).delete()
