"""Both meter stores keep the same promises: count once, re-read free, refuse past the limit,
merge as a union, forget old reads in a rolling window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from masthead.access.meter import (
    DatabaseMeterStore,
    MeterStore,
    MeterStoreUnavailable,
    RecordOutcome,
    RedisMeterStore,
)
from masthead.access.periods import CALENDAR_MONTH, ROLLING_DAYS, current_period
from tests.access.stores import REDIS_TEST_URL, needs_redis, unique_reader

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
ZONE = ZoneInfo("America/New_York")
MONTH = current_period(now=NOW, kind=CALENDAR_MONTH, zone=ZONE)


@pytest.fixture(params=["database", pytest.param("redis", marks=needs_redis)])
def store(request: Any, db: Any) -> Iterator[MeterStore]:
    if request.param == "redis":
        yield RedisMeterStore(REDIS_TEST_URL)
    else:
        yield DatabaseMeterStore()


def test_counts_once_and_re_reading_is_free(store: MeterStore) -> None:
    reader = unique_reader()
    assert (
        store.record_read(reader_key=reader, period=MONTH, article_id=1, limit=3, now=NOW)
        is RecordOutcome.COUNTED
    )
    again = store.record_read(reader_key=reader, period=MONTH, article_id=1, limit=3, now=NOW)
    assert again is RecordOutcome.ALREADY_READ
    state = store.state(reader_key=reader, period=MONTH, article_id=1)
    assert (state.read_count, state.already_read) == (1, True)
    assert not store.state(reader_key=reader, period=MONTH, article_id=2).already_read


def test_refuses_past_the_limit_but_re_reads_stay_free(store: MeterStore) -> None:
    reader = unique_reader()
    outcomes = [
        store.record_read(reader_key=reader, period=MONTH, article_id=n, limit=3, now=NOW)
        for n in range(1, 6)
    ]
    assert outcomes == [RecordOutcome.COUNTED] * 3 + [RecordOutcome.REFUSED] * 2
    assert store.record_read(reader_key=reader, period=MONTH, article_id=2, limit=3, now=NOW).accepted
    assert store.state(reader_key=reader, period=MONTH, article_id=4).read_count == 3


def test_a_new_month_starts_from_zero(store: MeterStore) -> None:
    reader = unique_reader()
    for n in range(3):
        store.record_read(reader_key=reader, period=MONTH, article_id=n, limit=3, now=NOW)
    december = current_period(now=NOW + timedelta(days=20), kind=CALENDAR_MONTH, zone=ZONE)
    assert store.state(reader_key=reader, period=december, article_id=1).read_count == 0
    outcome = store.record_read(reader_key=reader, period=december, article_id=1, limit=3, now=NOW)
    assert outcome is RecordOutcome.COUNTED


def test_merge_is_a_union_without_double_counting(store: MeterStore) -> None:
    anonymous, account = unique_reader(), unique_reader()
    for n in (1, 2, 3):
        store.record_read(reader_key=anonymous, period=MONTH, article_id=n, limit=3, now=NOW)
    for n in (2, 3, 4):
        store.record_read(reader_key=account, period=MONTH, article_id=n, limit=5, now=NOW)
    store.merge(from_key=anonymous, into_key=account, period=MONTH, now=NOW)
    store.merge(from_key=anonymous, into_key=account, period=MONTH, now=NOW)  # a second login: no change
    assert store.state(reader_key=account, period=MONTH, article_id=1).read_count == 4


def test_rolling_window_forgets_old_reads_and_counts_them_again(store: MeterStore) -> None:
    reader = unique_reader()
    then = NOW - timedelta(days=40)
    old_window = current_period(now=then, kind=ROLLING_DAYS, zone=ZONE, rolling_days=30)
    for n in (1, 2, 3):
        store.record_read(reader_key=reader, period=old_window, article_id=n, limit=3, now=then)
    window = current_period(now=NOW, kind=ROLLING_DAYS, zone=ZONE, rolling_days=30)
    assert store.state(reader_key=reader, period=window, article_id=1).read_count == 0
    assert (
        store.record_read(reader_key=reader, period=window, article_id=1, limit=3, now=NOW)
        is RecordOutcome.COUNTED
    )
    state = store.state(reader_key=reader, period=window, article_id=1)
    assert (state.read_count, state.already_read) == (1, True)


def test_unreachable_redis_raises_a_store_error() -> None:
    store = RedisMeterStore("redis://127.0.0.1:1/0")
    with pytest.raises(MeterStoreUnavailable):
        store.state(reader_key="a:x", period=MONTH, article_id=1)
    with pytest.raises(MeterStoreUnavailable):
        store.record_read(reader_key="a:x", period=MONTH, article_id=1, limit=3, now=NOW)
