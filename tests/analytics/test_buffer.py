"""Events are buffered per worker and written in one INSERT once the buffer is full (or flushed)."""

from __future__ import annotations

from typing import Any

from masthead.analytics import recorder
from masthead.analytics.models import Event


def test_a_full_buffer_is_written_in_one_statement(
    db: Any, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 3
    settings.MASTHEAD_ANALYTICS_BUFFER_SECONDS = 3600
    with django_assert_num_queries(0):
        recorder.submit([recorder.make_event("view", reader="r1", article_id=1)])
        recorder.submit([recorder.make_event("view", reader="r2", article_id=1)])
    assert not Event.objects.exists()
    with django_assert_num_queries(1):
        recorder.submit([recorder.make_event("wall", reader="r2", article_id=1)])
    assert Event.objects.count() == 3
    recorder.submit([recorder.make_event("view", reader="r3", article_id=2)])
    assert recorder.flush() == 1
    assert Event.objects.count() == 4
    assert recorder.flush() == 0


def test_without_a_buffer_each_request_writes_at_once(db: Any, settings: Any) -> None:
    settings.MASTHEAD_ANALYTICS_BUFFER_SIZE = 0
    recorder.submit([recorder.make_event("view", reader="r1", article_id=1)])
    assert Event.objects.count() == 1
