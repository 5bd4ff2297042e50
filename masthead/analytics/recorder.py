"""Writing events cheaply: appended to a per-worker buffer, written with one bulk INSERT.

The buffer is written when it holds `MASTHEAD_ANALYTICS_BUFFER_SIZE` events, when its oldest
event is `MASTHEAD_ANALYTICS_BUFFER_SECONDS` old (checked at every event and by a timer), and
when the process exits. A size of 0 (the default) writes each request's events at the end of
the request, in one statement. Nothing here ever fails a reader's request: a write that fails
is logged and dropped.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.http import HttpRequest
from django.utils import timezone

from masthead.analytics.models import Event

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_buffer: list[Event] = []
_oldest: float | None = None
_timer: threading.Timer | None = None
REQUEST_ATTR = "_masthead_analytics_events"


def buffer_size() -> int:
    return int(getattr(settings, "MASTHEAD_ANALYTICS_BUFFER_SIZE", 0))


def buffer_seconds() -> float:
    return float(getattr(settings, "MASTHEAD_ANALYTICS_BUFFER_SECONDS", 5.0))


def make_event(kind: str, **fields: Any) -> Event:
    fields.setdefault("at", timezone.now())
    return Event(kind=kind, **{k: v for k, v in fields.items() if v is not None})


def add_to_request(request: HttpRequest, event: Event) -> None:
    """Kept on the request; the middleware hands them on when the response is ready."""
    pending = getattr(request, REQUEST_ATTR, None)
    if pending is None:
        pending = []
        setattr(request, REQUEST_ATTR, pending)
    pending.append(event)


def submit(events: list[Event]) -> None:
    """Write now (size 0) or buffer; the buffer is written once full or old enough."""
    if not events:
        return
    if buffer_size() <= 0:
        _write(events)
        return
    global _oldest
    to_write: list[Event] = []
    with _lock:
        if not _buffer:
            _oldest = time.monotonic()
        _buffer.extend(events)
        if len(_buffer) >= buffer_size() or (_oldest and time.monotonic() - _oldest >= buffer_seconds()):
            to_write = _take()
        else:
            _arm_timer()
    if to_write:
        _write(to_write)


def flush() -> int:
    """Write what this worker holds (the dashboard asks first; tests and exit too)."""
    with _lock:
        events = _take()
    if events:
        _write(events)
    return len(events)


def _take() -> list[Event]:
    global _oldest
    events = list(_buffer)
    _buffer.clear()
    _oldest = None
    return events


def _arm_timer() -> None:
    global _timer
    if _timer is not None and _timer.is_alive():
        return
    _timer = threading.Timer(buffer_seconds(), _timed_flush)
    _timer.daemon = True
    _timer.start()


def _timed_flush() -> None:
    try:
        flush()
    finally:
        connections.close_all()  # this timer thread's own connection


def _write(events: list[Event]) -> None:
    try:
        if connections["default"].in_atomic_block:
            # Its own savepoint: inside a surrounding transaction, a failed write rolls back only
            # itself (on PostgreSQL it would otherwise abort everything the request does after it).
            with transaction.atomic():
                Event.objects.bulk_create(events, batch_size=500)
        else:
            Event.objects.bulk_create(events, batch_size=500)
    except Exception:  # analytics must never break a page
        logger.exception("could not write %d analytics events", len(events))


atexit.register(flush)
