"""One number that says "what readers can see has changed", and small per-process copies checked
against it.

Every edit that can change a reader page (publishing, unpublishing, moving, deleting or saving a
page; saving a topic, author, sponsor, image, site, privacy setting or the publication settings)
starts a new generation in the shared cache (Redis, or the database table of
`masthead.core.shared_cache`: never a per-process cache, see `masthead.core.shared_state`).
A request reads the number once (the public page
cache reads it in the same round trip as the page); everything a worker keeps in its own memory
(the site, routed articles, rendered article parts, the navigation) is keyed by it, so no worker
ever serves something older than the last edit, and nothing has to be deleted key by key.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest

from masthead.core import redis_cache

GENERATION_KEY = "masthead:site-generation"
_REQUEST_ATTR = "_masthead_generation"

T = TypeVar("T")


def _fresh_number() -> int:
    # Random, not a clock: two workers (or a frozen test clock) must never pick the same one.
    return secrets.randbits(62)


# The last generation this worker saw. When a request brings a newer one, per-process caches that
# are not keyed by it (Django's "renditions" cache, which Wagtail fills) are emptied, so even they
# follow an edit made in another worker (an image replaced: its old renditions are deleted).
_seen = {"generation": 0}


def remember_generation(request: HttpRequest, generation: int) -> None:
    setattr(request, _REQUEST_ATTR, generation)
    if generation != _seen["generation"]:
        _seen["generation"] = generation
        _forget_unkeyed_copies()


def _forget_unkeyed_copies() -> None:
    from django.core.cache import caches

    if "renditions" in settings.CACHES:
        caches["renditions"].clear()


def current_generation(request: HttpRequest | None = None) -> int:
    """The current generation, read from the shared cache at most once per request."""
    if request is not None and hasattr(request, _REQUEST_ATTR):
        return int(getattr(request, _REQUEST_ATTR))
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = start_generation()
    if request is not None:
        remember_generation(request, generation)
    return int(generation)


def start_generation() -> int:
    """A fresh or flushed cache: start a generation, or take the one a neighbour just started."""
    cache.add(GENERATION_KEY, _fresh_number(), None)
    found = cache.get(GENERATION_KEY)
    if found is None:
        # The shared cache cannot hold the number (Redis down, see masthead.core.redis_cache):
        # a number nothing was kept under, so this request trusts no worker's copies and reads
        # everything from the database.
        return _fresh_number()
    return int(found)


def new_generation(**kwargs: Any) -> None:
    """Signal receiver: something readers see was edited.

    Now, and again once the edit's transaction commits: a worker that read the new number before
    the commit could otherwise load the old content and keep it under the new number until the
    next edit (the publish signals fire inside Wagtail's transaction).
    """
    now_and_after_commit(_start_new_generation)


def _start_new_generation() -> None:
    number = _fresh_number()
    keep = getattr(cache, "set_or_raise", None)
    if keep is not None:
        keep(GENERATION_KEY, number, None)  # the shared database cache: a lost write must not pass
    else:
        cache.set(GENERATION_KEY, number, None)
    for kept in ProcessCache.instances:
        kept.clear()


# A process that saw the shared cache down starts a new generation when it answers again: an edit
# made meanwhile could not write its number, and nothing kept before the outage may outlive it.
redis_cache.recovery_actions.append(_start_new_generation)


def now_and_after_commit(action: Callable[[], None]) -> None:
    """Forget shared copies at once and again after the surrounding transaction commits."""
    action()
    if connection.in_atomic_block:
        transaction.on_commit(action)


class ProcessCache:
    """A bounded, least-recently-used store in this worker; an entry is good for one generation."""

    instances: list[ProcessCache] = []

    def __init__(self, *, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        ProcessCache.instances.append(self)

    def get_or_load(self, key: Hashable, *, generation: int, load: Callable[[], T]) -> T:
        with self._lock:
            found = self._entries.get(key)
            if found is not None and found[0] == generation:
                self._entries.move_to_end(key)
                return found[1]  # type: ignore[no-any-return]
        value = load()
        if connection.in_atomic_block:
            # Read inside a transaction that may still roll back (a test, a management command):
            # never keep it past the transaction.
            return value
        with self._lock:
            self._entries[key] = (generation, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
