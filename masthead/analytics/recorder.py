"""Writing events cheaply: appended to a per-worker buffer as plain rows, written in one statement.

The article path never builds a model instance: an event is a tuple in the table's column order
(`make_row`), and the buffer is written with PostgreSQL's COPY (psycopg writes the rows in C) or,
elsewhere, one executemany INSERT. Measured with bench/analytics_cost.py (docs/performance.md):
Event instances plus bulk_create cost an anonymous metered view +9 % of its CPU.

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
Row = tuple[Any, ...]
_buffer: list[Row] = []
_oldest: float | None = None
_timer: threading.Timer | None = None
REQUEST_ATTR = "_masthead_analytics_events"


def buffer_size() -> int:
    return int(getattr(settings, "MASTHEAD_ANALYTICS_BUFFER_SIZE", 0))


def buffer_seconds() -> float:
    return float(getattr(settings, "MASTHEAD_ANALYTICS_BUFFER_SECONDS", 5.0))


def _columns() -> tuple[tuple[str, ...], tuple[str, ...], Row]:
    """Attribute names, column names and each field's default, in the table's order (no id)."""
    fields = [f for f in Event._meta.concrete_fields if not f.primary_key]
    defaults = tuple(None if f.null or not f.has_default() else f.get_default() for f in fields)
    return tuple(f.attname for f in fields), tuple(f.column for f in fields), defaults


NAMES, COLUMNS, DEFAULTS = _columns()
_POSITION = {name: index for index, name in enumerate(NAMES)}


def make_row(kind: str, fields: dict[str, Any]) -> Row:
    """An event as the row it is written as; fields left out (or None) take their defaults."""
    row = list(DEFAULTS)
    row[_POSITION["kind"]] = str(kind)
    position = _POSITION
    for name, value in fields.items():
        if value is not None:
            row[position[name]] = value
    if row[position["at"]] is None:
        row[position["at"]] = timezone.now()
    return tuple(row)


def make_event(kind: str, **fields: Any) -> Event:
    """An event as a model instance, for the rarer conversions that are read back and amended."""
    fields.setdefault("at", timezone.now())
    return Event(kind=kind, **{k: v for k, v in fields.items() if v is not None})


def as_row(event: Event | Row) -> Row:
    if isinstance(event, Event):
        return tuple(getattr(event, name) for name in NAMES)
    return event


def add_to_request(request: HttpRequest, event: Event | Row) -> None:
    """Kept on the request; the middleware hands them on when the response is ready."""
    pending = getattr(request, REQUEST_ATTR, None)
    if pending is None:
        pending = []
        setattr(request, REQUEST_ATTR, pending)
    pending.append(event)


def submit(events: list[Event | Row]) -> None:
    """Write now (size 0) or buffer; the buffer is written once full or old enough."""
    if not events:
        return
    rows = [as_row(event) for event in events]
    if buffer_size() <= 0:
        _write(rows)
        return
    global _oldest
    to_write: list[Row] = []
    with _lock:
        if not _buffer:
            _oldest = time.monotonic()
        _buffer.extend(rows)
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


def _take() -> list[Row]:
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


def _write(rows: list[Row]) -> None:
    connection = connections["default"]
    try:
        # Its own transaction, or inside a surrounding one its own savepoint: a failed write rolls
        # back only itself (on PostgreSQL it would otherwise abort everything the request does
        # after it).
        with transaction.atomic():
            _write_rows(connection, rows)
    except Exception:  # analytics must never break a page
        logger.exception("could not write %d analytics events", len(rows))


def _write_rows(connection: Any, rows: list[Row]) -> None:
    table = connection.ops.quote_name(Event._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN"
            started = time.monotonic()
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
            if connection.queries_logged:  # Django's query log sees execute(), not COPY
                took = f"{time.monotonic() - started:.3f}"
                connection.queries_log.append({"sql": f"{sql} -- {len(rows)} rows", "time": took})
            return
        at = _POSITION["at"]
        adapt = connection.ops.adapt_datetimefield_value
        prepared = [(*row[:at], adapt(row[at]), *row[at + 1 :]) for row in rows]
        marks = ", ".join(["%s"] * len(COLUMNS))
        # Table and column names come from the model, quoted by the backend; values are parameters.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608


atexit.register(flush)
