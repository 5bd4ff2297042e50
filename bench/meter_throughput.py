"""The meter stores alone: counted reads per second through the access app's store interface.

Readers each read `reads_per_reader` distinct articles under a limit of exactly that many, the
way a month of metered reading looks; then one more article per reader must be refused. At the
end every reader's count is read back: it must equal the reads recorded, no more, no less.
"""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from zoneinfo import ZoneInfo


def _read_month(
    store: Any, keys: list[str], *, period: Any, now: Any, reads: int, deadline: float, counted_outcome: Any
) -> dict[str, int]:
    """One thread's readers, each reading `reads` distinct articles under a limit of `reads`."""
    from django.db import connection

    recorded: dict[str, int] = {}
    try:
        for key in keys:
            if time.perf_counter() > deadline:
                break
            recorded[key] = 0
            for article_id in range(1, reads + 1):
                outcome = store.record_read(
                    reader_key=key, period=period, article_id=article_id, limit=reads, now=now
                )
                recorded[key] += outcome == counted_outcome
    finally:
        connection.close()  # each thread has its own database connection
    return recorded


def _measure(
    store: Any, *, records: int, reads_per_reader: int, max_seconds: float, threads: int, outcome_type: Any
) -> dict[str, Any]:
    from django.utils import timezone

    from masthead.access.periods import CALENDAR_MONTH, current_period

    now = timezone.now()
    period = current_period(now=now, kind=CALENDAR_MONTH, zone=ZoneInfo("UTC"))
    run = uuid.uuid4().hex[:8]
    keys = [f"a:bench-{run}-{reader}" for reader in range(max(1, records // reads_per_reader))]
    started = time.perf_counter()
    deadline = started + max_seconds
    # Several threads at once, as a server's workers would: the database can then group commits.
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [
            pool.submit(
                _read_month,
                store,
                keys[index::threads],
                period=period,
                now=now,
                reads=reads_per_reader,
                deadline=deadline,
                counted_outcome=outcome_type.COUNTED,
            )
            for index in range(threads)
        ]
        expected = {key: value for future in futures for key, value in future.result().items()}
    elapsed = time.perf_counter() - started
    counted = sum(expected.values())
    # Exactness: nobody past the limit, nobody short of it.
    wrong = []
    for key, reads in expected.items():
        over = store.record_read(
            reader_key=key, period=period, article_id=reads_per_reader + 1, limit=reads_per_reader, now=now
        )
        state = store.state(reader_key=key, period=period, article_id=1)
        if reads != reads_per_reader or state.read_count != reads_per_reader or over.accepted:
            wrong.append({"reader": key, "recorded": reads, "count": state.read_count, "over": str(over)})
    return {
        "records": counted,
        "seconds": round(elapsed, 3),
        "records_per_second": round(counted / elapsed, 1) if elapsed else None,
        "threads": threads,
        "readers": len(expected),
        "reads_per_reader": reads_per_reader,
        "exact": not wrong,
        "mismatches": wrong[:5],
    }


def measure_stores(
    *, records: int, reads_per_reader: int, max_seconds: float, threads: int, redis_url: str
) -> dict[str, Any]:
    try:
        from masthead.access.meter import DatabaseMeterStore, RecordOutcome, RedisMeterStore
    except ImportError as exc:
        return {"skipped": f"the access app has no meter store interface yet ({exc})"}

    from django.db import connection

    results: dict[str, Any] = {}
    options = {
        "records": records,
        "reads_per_reader": reads_per_reader,
        "max_seconds": max_seconds,
        "threads": threads,
    }
    results["database"] = {
        "vendor": connection.vendor,
        **_measure(DatabaseMeterStore(), outcome_type=RecordOutcome, **options),
    }
    if redis_url:
        results["redis"] = _measure(RedisMeterStore(redis_url), outcome_type=RecordOutcome, **options)
    else:
        results["redis"] = {"skipped": "no Redis reachable"}
    return results
