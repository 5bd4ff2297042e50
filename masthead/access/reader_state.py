"""What a signed-in reader's page needs to know about the account, kept in the shared cache.

Without it every signed-in page view asked the database for the account's entitlements (and the
session's user row, `masthead.accounts.session_user`). Each record here is one account's facts,
never a verdict: the entitlements are kept with their start and end dates, and `classify_reader`
judges them against the clock on every request, so an entitlement that ends at 17:00 stops at
17:00 even though its record was kept at 16:59.

A change must be obeyed on the next request, in every worker and on every host:

- every write goes through signals (`post_save`, `post_delete`) or calls `forget` itself (the
  queryset updates in `masthead.access.entitlements` and the admin);
- `forget` does not delete the record, it writes a *tombstone* in its place, now and again when
  the change commits. While the tombstone stands (longer than any request may run), requests read
  the database and may not keep what they read; a request that read the old row just before the
  commit finds the tombstone when it tries to keep its copy (`add` never overwrites), and one
  that kept its copy before the tombstone was written has it overwritten by the tombstone;
- records are keyed by the site generation (`masthead.core.generation`): after a cache outage,
  during which a tombstone could not be written, every process starts a new generation, and no
  record from before it is read again.

Only with a shared cache that is cheaper than the database (Redis: `MASTHEAD_READER_CACHE`);
with the database cache of the embedded default a record would cost what it saves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest

from masthead.access.models import Entitlement, EntitlementKind
from masthead.access.policy import EntitlementFact
from masthead.core.generation import current_generation, now_and_after_commit

T = TypeVar("T")

TOMBSTONE = "changed"
# A record is kept right after it is read (`from_found`: the SELECT, then `add`), so a tombstone
# only has to outlive that gap, however stalled the process; 30 s is also as long as gunicorn lets
# a request run. It is written again when the change commits, so a long transaction is covered.
TOMBSTONE_SECONDS = 30
RECORD_SECONDS = 3600
_PREFETCHED_ATTR = "_masthead_reader_records"


def enabled() -> bool:
    return bool(getattr(settings, "MASTHEAD_READER_CACHE", False))


def _secret_tag() -> str:
    # A record computed with one SECRET_KEY (the session hash) is not read with another.
    return hashlib.blake2b(str(settings.SECRET_KEY).encode(), digest_size=4).hexdigest()


class AccountRecords(Generic[T]):
    """One kind of per-account record in the shared cache (see the module), by account id (or,
    for an app token, by the token's hash)."""

    def __init__(self, name: str, load: Callable[[Any], T]) -> None:
        self.name, self._load = name, load

    def key(self, user_id: int | str, generation: int) -> str:
        return f"masthead:reader:{self.name}:{_secret_tag()}:g{generation}:{user_id}"

    def from_found(self, user_id: Any, *, key: str, found: dict[str, Any]) -> T:
        """The record among what a `get_many` found, or loaded (and kept, unless a change is in
        flight: a tombstone, or a transaction that may still roll back)."""
        value = found.get(key)
        if value is not None and value != TOMBSTONE:
            return value  # type: ignore[no-any-return]
        loaded = self._load(user_id)
        if value is None and not connection.in_atomic_block:
            cache.add(key, loaded, RECORD_SECONDS)
        return loaded

    def get(self, user_id: Any, *, request: HttpRequest | None) -> T:
        if not enabled():
            return self._load(user_id)
        prefetched: dict[str, Any] = getattr(request, _PREFETCHED_ATTR, {}) if request is not None else {}
        key = self.key(user_id, current_generation(request))
        found = prefetched if key in prefetched else cache.get_many([key])
        return self.from_found(user_id, key=key, found=found)

    def forget(self, user_id: Any) -> None:
        if not enabled():
            return
        now_and_after_commit(
            lambda: cache.set(self.key(user_id, current_generation()), TOMBSTONE, TOMBSTONE_SECONDS)
        )


def remember_found(request: HttpRequest, found: dict[str, Any]) -> None:
    """Records a request already fetched together with its other keys (one round trip)."""
    setattr(request, _PREFETCHED_ATTR, {**getattr(request, _PREFETCHED_ATTR, {}), **found})


# (is_trial, starts_at, ends_at) of every entitlement the account has, started or not: the clock
# decides at each request which of them count.
EntitlementRows = tuple[tuple[bool, datetime, datetime | None], ...]


def _load_entitlements(user_id: int) -> EntitlementRows:
    rows = Entitlement.objects.filter(user_id=user_id).values_list("kind", "starts_at", "ends_at")
    return tuple((kind == EntitlementKind.TRIAL, starts_at, ends_at) for kind, starts_at, ends_at in rows)


entitlements: AccountRecords[EntitlementRows] = AccountRecords("entitlements", _load_entitlements)


def entitlement_facts(*, user_id: int, request: HttpRequest | None, now: datetime) -> list[EntitlementFact]:
    """The account's entitlements that have started by `now`, with their end dates."""
    rows = entitlements.get(user_id, request=request)
    return [
        EntitlementFact(is_trial=is_trial, starts_at=starts_at, ends_at=ends_at)
        for is_trial, starts_at, ends_at in rows
        if starts_at <= now
    ]


def forget_entitlements(user_ids: Iterable[int]) -> None:
    for user_id in set(user_ids):
        entitlements.forget(user_id)


def _entitlement_changed(instance: Entitlement, **kwargs: Any) -> None:
    entitlements.forget(instance.user_id)


def connect_signals() -> None:
    post_save.connect(_entitlement_changed, sender=Entitlement, dispatch_uid="reader-state-entitlement-save")
    post_delete.connect(_entitlement_changed, sender=Entitlement, dispatch_uid="reader-state-entitlement-del")
