"""The cache every worker on the machine shares when there is no Redis: a table in the database.

Django's local-memory cache lives inside one process, so with several gunicorn workers each kept
its own "something changed" number, its own page cache, its own throttle counts: an edit made in
one worker stayed invisible to the others. The embedded setup (SQLite, no Redis) and a PostgreSQL
install without Redis use this backend instead, so every process (and every host sharing the
PostgreSQL server) reads the same entries.

It is Django's database cache with two changes that shared state needs:
- `incr` is atomic (Django's reads and writes in two steps, so two workers counting the same
  throttle at once would both write the same number);
- a write that fails raises instead of returning quietly, for the few callers that must know
  (`set_or_raise`): a lost "something changed" write would leave workers on old copies.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction

TABLE = "masthead_shared_cache"


class SharedDatabaseCache(DatabaseCache):
    def __init__(self, table: str, params: dict[str, Any]) -> None:
        options = {"MAX_ENTRIES": 20000, "CULL_FREQUENCY": 4, **params.get("OPTIONS", {})}
        super().__init__(table or TABLE, {**params, "OPTIONS": options})

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        """Add `delta` in one transaction holding the row, so concurrent counts never collide."""
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        # PostgreSQL locks the row; SQLite transactions here are IMMEDIATE (the write lock is taken
        # at BEGIN), which serialises them just the same.
        lock = " FOR UPDATE" if connection.vendor == "postgresql" else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')}, {quote('expires')} FROM {table} "  # noqa: S608
                f"WHERE {quote('cache_key')} = %s{lock}",
                [cache_key],
            )
            row = cursor.fetchone()
            if row is None or self._expired(connection, row[1]):
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode()))  # noqa: S301 (our own rows)
            value += delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",  # noqa: S608
                [encoded, cache_key],
            )
        return int(value)

    def set_or_raise(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> None:
        if not self._base_set("set", self.make_and_validate_key(key), value, timeout):
            raise RuntimeError(f"the shared cache did not keep {key!r}")

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        from django.db import models
        from django.utils import timezone

        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        ):
            expires = converter(expires, expression, connection)
        return bool(expires < timezone.now())
