"""Events are buffered per worker and written in one INSERT once the buffer is full (or flushed)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.analytics import recorder
from masthead.analytics.models import Event


def test_a_full_buffer_is_written_in_one_statement(
    transactional_db: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    # Outside a transaction, as the worker's buffer is written.
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 3
    settings.MASTHEAD_ANALYTICS_BUFFER_SECONDS = 3600
    with django_assert_num_queries(0):
        recorder.submit([recorder.make_event("view", reader="r1", article_id=1)])
        recorder.submit([recorder.make_event("view", reader="r2", article_id=1)])
    assert not Event.objects.exists()
    with CaptureQueriesContext(connection) as written:
        recorder.submit([recorder.make_event("wall", reader="r2", article_id=1)])
    # One INSERT (in its own BEGIN … COMMIT).
    statements = [
        q["sql"] for q in written.captured_queries if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")
    ]
    assert len(statements) == 1 and statements[0].startswith("INSERT"), statements
    assert Event.objects.count() == 3
    recorder.submit([recorder.make_event("view", reader="r3", article_id=2)])
    assert recorder.flush() == 1
    assert Event.objects.count() == 4
    assert recorder.flush() == 0


def test_without_a_buffer_each_request_writes_at_once(db: Any, settings: Any) -> None:
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 0
    recorder.submit([recorder.make_event("view", reader="r1", article_id=1)])
    assert Event.objects.count() == 1


def test_a_write_that_fails_inside_a_transaction_spoils_nothing_else(db: Any, settings: Any) -> None:
    # A request that is still in a transaction carries on as if analytics did not exist.
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 0
    recorder.submit([recorder.make_event("view", reader="r1", reader_kind="x" * 500, article_id=1)])
    recorder.submit([recorder.make_event("view", reader="r2", article_id=1)])
    assert list(Event.objects.values_list("reader", flat=True)) in (["r2"], ["r1", "r2"])
