"""Events are buffered per worker and written in one INSERT once the buffer is full (or flushed)."""

from __future__ import annotations

from datetime import UTC, datetime
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
    # One statement (in its own BEGIN … COMMIT): COPY on PostgreSQL, one executemany INSERT elsewhere
    # (Django logs it as "3 times: INSERT …").
    statements = [
        q["sql"] for q in written.captured_queries if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")
    ]
    expected = "COPY" if connection.vendor == "postgresql" else "3 times: INSERT"
    assert len(statements) == 1 and statements[0].startswith(expected), statements
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


def test_a_row_reads_back_as_the_event_it_was(transactional_db: Any, settings: Any) -> None:
    # Rows are written without the model (COPY or a plain INSERT): every column must land as the
    # ORM would have written it, the time zone of the moment included.
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 10
    moment = datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC)  # Europe's DST night, in UTC
    row = recorder.make_row(
        "view",
        {"at": moment, "reader": "r" * 32, "article_id": 7, "meter_position": 3, "meter_limit": 5,
         "utm_campaign": "spring \u00e9t\u00e9 \\ tab\there", "account_id": None},
    )  # fmt: skip
    event_instance = recorder.make_event("registration", reader="r2", account_id=9, amount_minor=0)
    recorder.submit([row, event_instance])
    assert recorder.flush() == 2
    view = Event.objects.get(kind="view")
    assert view.at == moment
    assert (view.reader, view.article_id, view.meter_position, view.meter_limit) == ("r" * 32, 7, 3, 5)
    assert view.utm_campaign == "spring \u00e9t\u00e9 \\ tab\there"
    assert view.account_id is None and view.section_id is None and view.variant == "" and view.prompt == ""
    registration = Event.objects.get(kind="registration")
    assert (registration.account_id, registration.amount_minor, registration.reader) == (9, 0, "r2")
