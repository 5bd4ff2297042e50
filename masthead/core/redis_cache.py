"""Django's Redis cache, kept to what a news site needs of it: fast, and never the reason for a 500.

One client per connection pool. Django's client builds a new `redis.Redis` object for every cache
call; each one copies the library's ~170 response callbacks, which on a page view with four cache
calls costs more than the calls themselves. A `redis.Redis` object only holds a reference to its
(thread-safe) pool, so one per pool is enough.

Redis unreachable (stopped, restarting, out of memory under `noeviction`, a network cut): the
cache is an accelerator, so the site goes on without it instead of answering 500 to every request.
This is the one place that decides what a cache outage means:

- a read is a miss (pages are built from the database; sessions load from the database);
- a write is skipped;
- a delete that could not happen is owed: this process repeats it once Redis answers again, so a
  signed-out session or a dropped setting cannot come back from Redis after the outage;
- `incr` raises `CacheUnavailable`: a counter that cannot count must not pretend it did (the API
  throttles turn it into a 503, never into "allowed");
- once Redis answers again, this process starts a new generation (`masthead.core.generation`), so
  nothing any worker kept before or during the outage is trusted after it — an edit made while
  the generation number could not be written is seen everywhere.

After a failure the process does not ask Redis again for `RETRY_SECONDS`: a page view during an
outage costs no connection attempts, and the first request after that window finds Redis back.
Each outage is logged once when it starts and once when it ends, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger("masthead.cache")

RETRY_SECONDS = 1.0
# Seconds to wait for Redis before calling it down: a page never hangs on the cache.
DEFAULT_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
OWED_DELETES_MAX = 10_000


class CacheUnavailable(Exception):
    """The shared cache could not answer an operation whose result matters (a counter)."""


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# Called in this process once Redis answers after an outage (the generation module adds one).
recovery_actions: list[Callable[[], None]] = []


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        for name, value in DEFAULT_TIMEOUTS.items():
            options.setdefault(name, value)
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._retry_at = 0.0
        self._owed_deletes: set[str] = set()
        self._refusal_logged_at = -60.0
        self._recovering = threading.local()

    # -- the outage state --------------------------------------------------------------------

    def is_down(self) -> bool:
        return self._down_since is not None

    def _skip(self) -> bool:
        """Down and not yet time to ask again."""
        return self._down_since is not None and time.monotonic() < self._retry_at

    def _failed(self, exc: Exception, operation: str) -> None:
        import redis

        if not isinstance(exc, redis.RedisError):
            raise exc
        if isinstance(exc, redis.ResponseError):
            # Redis is up but refused this one command (out of memory under `noeviction`): skip
            # it, keep asking for the rest.
            now = time.monotonic()
            if now >= self._refusal_logged_at + 60:
                self._refusal_logged_at = now
                logger.warning("The cache (Redis) refused %s: %s", operation, exc)
            return
        with self._lock:
            self._retry_at = time.monotonic() + RETRY_SECONDS
            if self._down_since is None:
                self._down_since = time.monotonic()
                logger.warning(
                    "The cache (Redis) is unreachable; serving without it: %s failed: %s", operation, exc
                )

    def _recover(self) -> bool:
        """Down, and the retry window has passed: settle the outage before serving anything.

        Owed deletes run first, so the first read after the outage cannot return what should
        have been deleted during it; then the recovery actions (a new generation).
        """
        with self._lock:
            down_since, owed = self._down_since, set(self._owed_deletes)
        if down_since is None:
            return True
        try:
            if owed:
                self._cache.delete_many(list(owed))  # keys already made (prefix and version)
            else:
                self._cache.get_client(write=True).ping()
            self._recovering.active = True  # the actions use this cache themselves
            try:
                for action in recovery_actions:
                    action()
            finally:
                self._recovering.active = False
        except Exception as exc:
            self._failed(exc, "recovery")
            return False
        with self._lock:
            if self._down_since is None:
                return True  # another thread settled it
            self._down_since = None
            self._owed_deletes -= owed
        lasted = time.monotonic() - down_since
        logger.warning(
            "The cache (Redis) answers again after %.1f s; %d owed deletes done", lasted, len(owed)
        )
        return True

    def _call(self, operation: str, default: Any, call: Callable[[], Any]) -> Any:
        recovering = getattr(self._recovering, "active", False)
        if self._down_since is not None and not recovering and (self._skip() or not self._recover()):
            return default
        try:
            return call()
        except Exception as exc:
            self._failed(exc, operation)
            return default

    def _owe(self, keys: list[str]) -> None:
        with self._lock:
            if len(self._owed_deletes) < OWED_DELETES_MAX:
                self._owed_deletes.update(keys)

    # -- Django's cache API --------------------------------------------------------------------

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", default, lambda: super(RedisCache, self).get(key, default, version))

    def get_many(self, keys: Any, version: Any = None) -> dict[Any, Any]:
        result: dict[Any, Any] = self._call(
            "get_many", {}, lambda: super(RedisCache, self).get_many(keys, version)
        )
        return result

    def has_key(self, key: Any, version: Any = None) -> bool:
        return bool(self._call("has_key", False, lambda: super(RedisCache, self).has_key(key, version)))

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> None:
        self._call("set", None, lambda: super(RedisCache, self).set(key, value, timeout, version))

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> list[Any]:
        failed: list[Any] = self._call(
            "set_many", list(data), lambda: super(RedisCache, self).set_many(data, timeout, version)
        )
        return failed

    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return bool(
            self._call("add", False, lambda: super(RedisCache, self).add(key, value, timeout, version))
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> bool:
        return bool(self._call("touch", False, lambda: super(RedisCache, self).touch(key, timeout, version)))

    def delete(self, key: Any, version: Any = None) -> bool:
        sentinel = object()
        result = self._call("delete", sentinel, lambda: super(RedisCache, self).delete(key, version))
        if result is sentinel:
            self._owe([self.make_and_validate_key(key, version=version)])
            return False
        return bool(result)

    def delete_many(self, keys: Any, version: Any = None) -> bool:  # type: ignore[override]
        keys = list(keys)
        sentinel = object()
        result = self._call(
            "delete_many", sentinel, lambda: super(RedisCache, self).delete_many(keys, version)
        )
        if result is sentinel:
            self._owe([self.make_and_validate_key(key, version=version) for key in keys])
            return False
        return True

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        sentinel = object()
        result = self._call("incr", sentinel, lambda: super(RedisCache, self).incr(key, delta, version))
        if result is sentinel:
            raise CacheUnavailable("the cache cannot count now")
        return int(result)

    def clear(self) -> bool:
        return bool(self._call("clear", False, lambda: super(RedisCache, self).clear()))
