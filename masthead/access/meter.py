"""Where counted reads live: one interface, two stores (the database, the default; Redis).

`record_read` is the atomic step of the one path: it adds the article to the reader's period
only while the reader is under the limit, in a single indivisible operation, so a reader with
one free article left who opens twenty tabs at once gets exactly one.
"""

from __future__ import annotations

import threading
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from masthead.access.models import MeterRead
from masthead.access.periods import MeterPeriod
from masthead.access.policy import MeterState


class MeterStoreUnavailable(Exception):
    """The store could not be reached: callers fail closed (teaser only, nothing recorded)."""


class RecordOutcome(StrEnum):
    COUNTED = "counted"
    ALREADY_READ = "already-read"  # accepted, costs nothing
    REFUSED = "refused"  # the limit was reached first, possibly by a parallel request

    @property
    def accepted(self) -> bool:
        return self is not RecordOutcome.REFUSED


class MeterStore(Protocol):
    def state(self, *, reader_key: str, period: MeterPeriod, article_id: int) -> MeterState: ...

    def record_read(
        self, *, reader_key: str, period: MeterPeriod, article_id: int, limit: int, now: datetime
    ) -> RecordOutcome: ...

    def merge(self, *, from_key: str, into_key: str, period: MeterPeriod, now: datetime) -> None: ...


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


class DatabaseMeterStore:
    """One unique (reader, period, article) row per counted read."""

    table = MeterRead._meta.db_table

    def state(self, *, reader_key: str, period: MeterPeriod, article_id: int) -> MeterState:
        try:
            ids = list(
                MeterRead.objects.filter(
                    reader_key=reader_key, period_key=period.key, read_at__gte=_epoch(period.starts_at)
                ).values_list("article_id", flat=True)
            )
        except DatabaseError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc
        return MeterState(read_count=len(ids), already_read=article_id in ids)

    def record_read(
        self, *, reader_key: str, period: MeterPeriod, article_id: int, limit: int, now: datetime
    ) -> RecordOutcome:
        since = _epoch(period.starts_at)
        # Insert only while under the limit; an old row of a rolling window is refreshed instead
        # (it no longer counts).
        sql = (
            f"INSERT INTO {self.table} (reader_key, period_key, article_id, read_at) "  # noqa: S608
            "SELECT %s, %s, %s, %s WHERE (SELECT COUNT(*) FROM "
            f"{self.table} WHERE reader_key = %s AND period_key = %s AND read_at >= %s) < %s "
            "ON CONFLICT (reader_key, period_key, article_id) "
            f"DO UPDATE SET read_at = excluded.read_at WHERE {self.table}.read_at < %s"
        )
        params: list[str | int] = [
            reader_key,
            period.key,
            article_id,
            _epoch(now),
            reader_key,
            period.key,
            since,
            limit,
            since,
        ]
        try:
            if self._written(sql=sql, params=params, reader_key=reader_key):
                return RecordOutcome.COUNTED
            # Nothing written: either a parallel request counted this very article (free to
            # read) or the limit was reached.
            already = MeterRead.objects.filter(
                reader_key=reader_key, period_key=period.key, article_id=article_id, read_at__gte=since
            ).exists()
        except DatabaseError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc
        return RecordOutcome.ALREADY_READ if already else RecordOutcome.REFUSED

    @staticmethod
    def _written(*, sql: str, params: list[str | int], reader_key: str) -> bool:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # access_record_read (migration 0004) takes the reader's advisory lock, then runs
                # the same insert; the insert's snapshot is taken after the lock is held, so it
                # sees every read the reader's other requests committed.
                reader, period, article, now, _r, _p, since, limit, _s = params
                cursor.execute(
                    "SELECT access_record_read(%s, %s, %s, %s, %s, %s)",
                    [reader, period, article, now, since, limit],
                )
                row = cursor.fetchone()
                return bool(row and row[0] == 1)
            # SQLite: one statement in autocommit mode takes the write lock before it reads
            # anything, so the count and the insert cannot interleave with another writer.
            cursor.execute(sql, params)
            return bool(cursor.rowcount == 1)

    def merge(self, *, from_key: str, into_key: str, period: MeterPeriod, now: datetime) -> None:
        since = _epoch(period.starts_at)
        sql = (
            f"INSERT INTO {self.table} (reader_key, period_key, article_id, read_at) "  # noqa: S608
            f"SELECT %s, period_key, article_id, read_at FROM {self.table} "
            "WHERE reader_key = %s AND period_key = %s AND read_at >= %s "
            "ON CONFLICT (reader_key, period_key, article_id) DO NOTHING"
        )
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [into_key])
                cursor.execute(sql, [into_key, from_key, period.key, since])
        except DatabaseError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc


# KEYS[1]: the reader's sorted set for the period (member: article id, score: read time).
# ARGV: article id, now, window start, limit, seconds to keep the key.
_RECORD_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return 2
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""

# KEYS[1]: the account's set, KEYS[2]: the anonymous set. ARGV: window start, seconds to keep.
_MERGE_SCRIPT = """
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[1])
redis.call('ZUNIONSTORE', KEYS[1], 2, KEYS[1], KEYS[2], 'AGGREGATE', 'MAX')
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 1
"""

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


class RedisMeterStore:
    """A sorted set per reader and period; one Lua script checks the limit and adds atomically."""

    def __init__(self, url: str) -> None:
        import redis

        with _clients_lock:
            if url not in _clients:
                # Short timeouts: an unreachable store must fail closed quickly, not hang a page.
                _clients[url] = redis.Redis.from_url(url, socket_timeout=1.0, socket_connect_timeout=1.0)
        self.client = _clients[url]
        self._record = self.client.register_script(_RECORD_SCRIPT)
        self._merge = self.client.register_script(_MERGE_SCRIPT)

    @staticmethod
    def key(reader_key: str, period: MeterPeriod) -> str:
        return f"masthead:meter:{period.key}:{reader_key}"

    @staticmethod
    def _keep_seconds(period: MeterPeriod, now: datetime) -> int:
        return max(int((period.ends_at - now).total_seconds()) + 3600, 60)

    def state(self, *, reader_key: str, period: MeterPeriod, article_id: int) -> MeterState:
        import redis

        since = _epoch(period.starts_at)
        try:
            members = self.client.zrangebyscore(self.key(reader_key, period), since, "+inf")
        except redis.RedisError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc
        ids = {int(m) for m in members}
        return MeterState(read_count=len(ids), already_read=article_id in ids)

    def record_read(
        self, *, reader_key: str, period: MeterPeriod, article_id: int, limit: int, now: datetime
    ) -> RecordOutcome:
        import redis

        args = [article_id, _epoch(now), _epoch(period.starts_at), limit, self._keep_seconds(period, now)]
        try:
            result = int(self._record(keys=[self.key(reader_key, period)], args=args))
        except redis.RedisError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc
        return {1: RecordOutcome.COUNTED, 2: RecordOutcome.ALREADY_READ}.get(result, RecordOutcome.REFUSED)

    def merge(self, *, from_key: str, into_key: str, period: MeterPeriod, now: datetime) -> None:
        import redis

        keys = [self.key(into_key, period), self.key(from_key, period)]
        try:
            self._merge(keys=keys, args=[_epoch(period.starts_at), self._keep_seconds(period, now)])
        except redis.RedisError as exc:
            raise MeterStoreUnavailable(str(exc)) from exc


def meter_store() -> MeterStore:
    """The store chosen by `settings.MASTHEAD_METER_STORE`."""
    name = getattr(settings, "MASTHEAD_METER_STORE", "database")
    if name == "redis":
        url = getattr(settings, "MASTHEAD_METER_REDIS_URL", "") or settings.REDIS_URL
        if not url:
            raise MeterStoreUnavailable("MASTHEAD_METER_STORE is 'redis' but no Redis URL is set")
        return RedisMeterStore(url)
    if name != "database":
        raise MeterStoreUnavailable(f"unknown meter store {name!r}")
    return DatabaseMeterStore()
