"""Daily rollups: the dashboard reads per-day counts, not millions of raw events.

Raw events stay the truth. A day is rolled up (again) by deleting its rollup rows and aggregating
its events in one GROUP BY; days not rolled up yet (today, or anything the job has not reached)
are read from the raw events by the same grouping, so a new event is on the dashboard at once.
Days are the publication's days (its time zone).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, IntegerField, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from masthead.analytics.models import DailyRollup, Event, RollupState

# The slices a rollup keeps: dimension -> the event field(s) its key comes from.
DIMENSIONS = ("all", "article", "first_touch", "referrer", "offer", "meter_position", "variant")


def zone() -> ZoneInfo:
    try:
        from masthead.access.paywall_config import paywall_config

        return paywall_config(request=None).zone
    except Exception:
        return ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: date, tz: ZoneInfo | None = None) -> tuple[datetime, datetime]:
    tz = tz or zone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


def grouped(events: Any, dimension: str) -> list[dict[str, Any]]:
    """Raw events grouped by kind and one dimension's key: [{"kind", "key", "n", "amount"}]."""
    counted = {"n": Count("id"), "amount": Coalesce(Sum("amount_minor"), 0)}
    if dimension == "all":
        rows = events.values("kind").annotate(**counted).order_by()
        return [{**row, "key": ""} for row in rows]
    if dimension == "variant":
        rows = events.values("kind", "experiment", "variant").annotate(**counted).order_by()
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            key = f"{row['experiment']}:{row['variant']}" if row["experiment"] else ""
            entry = merged.setdefault(
                (row["kind"], key), {"kind": row["kind"], "key": key, "n": 0, "amount": 0}
            )
            entry["n"] += row["n"]
            entry["amount"] += row["amount"]
        return list(merged.values())
    if dimension == "article":
        source = Coalesce(F("article_id"), F("last_touch_article_id"), output_field=IntegerField())
    else:
        source = F(
            {
                "first_touch": "first_touch_article_id",
                "referrer": "referrer_class",
                "offer": "offer_id",
                "meter_position": "meter_position",
            }[dimension]
        )
    rows = events.annotate(cut=source).values("kind", "cut").annotate(**counted).order_by()
    return [
        {
            "kind": row["kind"],
            "key": "" if row["cut"] is None else str(row["cut"]),
            "n": row["n"],
            "amount": row["amount"],
        }
        for row in rows
    ]


def roll_up_day(day: date, *, now: datetime | None = None, partial: bool = False) -> int:
    """Roll one day up: the whole day once it is closed, or (`partial`) the events written so far,
    up to a watermark (the newest event id): what comes after is read raw by `slices`."""
    from masthead.analytics import recorder

    recorder.flush()
    start, end = day_bounds(day)
    events = Event.objects.filter(at__gte=start, at__lt=end)
    through: int | None = None
    if partial:
        through = Event.objects.aggregate(newest=Max("id"))["newest"] or 0
        events = events.filter(id__lte=through)
        fingerprint = f"through:{through}"
    else:
        seen = events.aggregate(n=Count("id"), newest=Max("id"))
        fingerprint = f"{seen['n']}:{seen['newest'] or 0}"
        state = RollupState.objects.filter(day=day).first()
        if state is not None and state.through_event_id is None and state.fingerprint == fingerprint:
            return 0  # nothing written or erased since: the rollup (and the cached answers) stay
    rows = [
        DailyRollup(
            day=day,
            dimension=dimension,
            kind=row["kind"],
            key=row["key"],
            count=row["n"],
            amount_minor=row["amount"],
        )
        for dimension in DIMENSIONS
        for row in grouped(events, dimension)
    ]
    with transaction.atomic():
        DailyRollup.objects.filter(day=day).delete()
        DailyRollup.objects.bulk_create(rows, batch_size=1000)
        RollupState.objects.update_or_create(
            day=day,
            defaults={
                "rolled_at": now or timezone.now(),
                "through_event_id": through,
                "fingerprint": fingerprint,
            },
        )
    return len(rows)


def days_to_roll(*, now: datetime | None = None, again: int = 2) -> list[date]:
    """Closed days never wholly rolled up since their first event, plus the last `again` days (late
    events: webhooks and the abandoned-checkout sweep write with a past time; a day whose events
    did not change is left as it is)."""
    now = now or timezone.now()
    today = now.astimezone(zone()).date()
    first = Event.objects.order_by("at").values_list("at", flat=True).first()
    if first is None:
        return []
    first_day = first.astimezone(zone()).date()
    whole = set(
        RollupState.objects.filter(day__gte=first_day, through_event_id__isnull=True).values_list(
            "day", flat=True
        )
    )
    days = []
    day = first_day
    while day < today:
        if day not in whole or day >= today - timedelta(days=again):
            days.append(day)
        day += timedelta(days=1)
    return days


def roll_up(*, now: datetime | None = None) -> str:
    """Closed days wholly, and today so far (the dashboard then reads only the events written
    since this run from the raw table)."""
    days = days_to_roll(now=now)
    rows = sum(roll_up_day(day, now=now) for day in days)
    today = (now or timezone.now()).astimezone(zone()).date()
    if days or Event.objects.exists():
        rows += roll_up_day(today, now=now, partial=True)
    return f"Rolled up {len(days)} day(s) and today so far into {rows} row(s)"


def rolled_days(start: date, end: date) -> set[date]:
    return set(RollupState.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


SLICES_CACHE_SECONDS = 24 * 3600
_SLICES_CACHE_PREFIX = "masthead:analytics:slices:v1:"


def cut_rows(
    start: date, end: date, dimension: str, *, kinds: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """One dimension's counts between two days (inclusive): [{"kind", "key", "n", "amount"}]."""
    return slices(start, end, [dimension], kinds=kinds)[dimension]


def slices(
    start: date, end: date, dimensions: Iterable[str], *, kinds: Iterable[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Several dimensions' counts between two days (inclusive), each [{"kind", "key", "n", "amount"}]
    (a key may come more than once: add them up).

    Wholly rolled-up days are read from the rollups in one query, and that answer is kept in the
    cache under the days' rollup fingerprints (a re-rolled day that changed is a new key); today's
    rollup so far and the events written after it, and days never rolled up, are read every time,
    so an event is counted as soon as it is written."""
    from masthead.analytics import recorder

    recorder.flush()
    dimensions = sorted(set(dimensions))
    kinds = sorted(kinds) if kinds is not None else None
    states = RollupState.objects.filter(day__gte=start, day__lte=end).values_list(
        "day", "through_event_id", "fingerprint", "rolled_at"
    )
    whole: list[tuple[date, str, datetime]] = []
    partial: dict[date, int] = {}
    for day, through, fingerprint, rolled_at in states:
        if through is None:
            whole.append((day, fingerprint, rolled_at))
        else:
            partial[day] = through
    result: dict[str, list[dict[str, Any]]] = {d: [] for d in dimensions}
    if whole:
        for dimension, rows in _whole_days(start, end, dimensions, kinds, whole, partial).items():
            result[dimension].extend(rows)
    if partial:
        rollups = DailyRollup.objects.filter(dimension__in=dimensions, day__in=list(partial))
        if kinds is not None:
            rollups = rollups.filter(kind__in=kinds)
        for row in rollups.values("dimension", "kind", "key", "count", "amount_minor"):
            result[row["dimension"]].append(
                {"kind": row["kind"], "key": row["key"], "n": row["count"], "amount": row["amount_minor"]}
            )
        tz = zone()
        after = Q()
        for day, through in partial.items():
            lo, hi = day_bounds(day, tz)
            after |= Q(at__gte=lo, at__lt=hi, id__gt=through)
        _add_raw(result, Event.objects.filter(after), dimensions, kinds)
    # The days not rolled up at all, as contiguous stretches of raw events.
    done = {day for day, _f, _r in whole} | set(partial)
    tz = zone()
    day = start
    while day <= end:
        if day in done:
            day += timedelta(days=1)
            continue
        stretch_start = day
        while day <= end and day not in done:
            day += timedelta(days=1)
        lo, _ = day_bounds(stretch_start, tz)
        hi, _ = day_bounds(day, tz)
        _add_raw(result, Event.objects.filter(at__gte=lo, at__lt=hi), dimensions, kinds)
    return result


def _add_raw(
    result: dict[str, list[dict[str, Any]]], events: Any, dimensions: list[str], kinds: list[str] | None
) -> None:
    if kinds is not None:
        events = events.filter(kind__in=kinds)
    for dimension in dimensions:
        result[dimension].extend(grouped(events, dimension))


def _whole_days(
    start: date,
    end: date,
    dimensions: list[str],
    kinds: list[str] | None,
    whole: list[tuple[date, str, datetime]],
    partial: dict[date, int],
) -> dict[str, list[dict[str, Any]]]:
    signature = hashlib.sha256(
        repr((sorted(whole), sorted(partial), dimensions, kinds)).encode()
    ).hexdigest()[:32]
    key = f"{_SLICES_CACHE_PREFIX}{start.isoformat()}:{end.isoformat()}:{signature}"
    found = cache.get(key)
    if isinstance(found, dict):
        return found
    rollups = DailyRollup.objects.filter(dimension__in=dimensions, day__gte=start, day__lte=end)
    if partial:
        rollups = rollups.exclude(day__in=list(partial))
    if kinds is not None:
        rollups = rollups.filter(kind__in=kinds)
    answer: dict[str, list[dict[str, Any]]] = {d: [] for d in dimensions}
    for row in (
        rollups.values("dimension", "kind", "key")
        .annotate(n=Sum("count"), amount=Sum("amount_minor"))
        .order_by()
    ):
        answer[row["dimension"]].append(
            {"kind": row["kind"], "key": row["key"], "n": row["n"], "amount": row["amount"]}
        )
    cache.set(key, answer, SLICES_CACHE_SECONDS)
    return answer


def article_sections() -> dict[int, int]:
    """Article id -> its section's page id (the parent in the page tree)."""
    from wagtail.models import Page

    from masthead.news.models import ArticlePage

    articles = list(ArticlePage.objects.values_list("pk", "path"))
    parents = {path[:-4] for _pk, path in articles}
    ids = dict(Page.objects.filter(path__in=parents).values_list("path", "pk"))
    return {pk: ids[path[:-4]] for pk, path in articles if path[:-4] in ids}


def prune(*, now: datetime | None = None) -> str:
    """Delete raw events older than the retention (days; 0 keeps them for ever). Rollups stay."""
    days = int(getattr(settings, "MASTHEAD_ANALYTICS_RETENTION_DAYS", 400))
    if days <= 0:
        return "Retention is off: events kept"
    cutoff = (now or timezone.now()) - timedelta(days=days)
    deleted, _ = Event.objects.filter(at__lt=cutoff).delete()
    return f"Deleted {deleted} event(s) older than {days} days"
