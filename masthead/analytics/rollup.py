"""Daily rollups: the dashboard reads per-day counts, not millions of raw events.

Raw events stay the truth. A day is rolled up (again) by deleting its rollup rows and aggregating
its events in one GROUP BY; days not rolled up yet (today, or anything the job has not reached)
are read from the raw events by the same grouping, so a new event is on the dashboard at once.
Days are the publication's days (its time zone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, IntegerField, Sum
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


def roll_up_day(day: date, *, now: datetime | None = None) -> int:
    from masthead.analytics import recorder

    recorder.flush()
    start, end = day_bounds(day)
    events = Event.objects.filter(at__gte=start, at__lt=end)
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
        RollupState.objects.update_or_create(day=day, defaults={"rolled_at": now or timezone.now()})
    return len(rows)


def days_to_roll(*, now: datetime | None = None, again: int = 2) -> list[date]:
    """Closed days never rolled up since their first event, plus the last `again` days (late events:
    webhooks and the abandoned-checkout sweep write with a past time)."""
    now = now or timezone.now()
    today = now.astimezone(zone()).date()
    first = Event.objects.order_by("at").values_list("at", flat=True).first()
    if first is None:
        return []
    first_day = first.astimezone(zone()).date()
    rolled = set(RollupState.objects.filter(day__gte=first_day).values_list("day", flat=True))
    days = []
    day = first_day
    while day < today:
        if day not in rolled or day >= today - timedelta(days=again):
            days.append(day)
        day += timedelta(days=1)
    return days


def roll_up(*, now: datetime | None = None) -> str:
    days = days_to_roll(now=now)
    rows = sum(roll_up_day(day, now=now) for day in days)
    return f"Rolled up {len(days)} day(s) into {rows} row(s)"


def rolled_days(start: date, end: date) -> set[date]:
    return set(RollupState.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def cut_rows(
    start: date, end: date, dimension: str, *, kinds: Iterable[str] | None = None
) -> list[dict[str, Any]]:
    """One dimension's counts between two days (inclusive): [{"kind", "key", "n", "amount"}] from
    the rollups where a day is rolled up, from the raw events for the other days."""
    from masthead.analytics import recorder

    recorder.flush()
    kinds = list(kinds) if kinds is not None else None
    done = rolled_days(start, end)
    rows: list[dict[str, Any]] = []
    if done:
        rollups = DailyRollup.objects.filter(dimension=dimension, day__gte=start, day__lte=end)
        if kinds is not None:
            rollups = rollups.filter(kind__in=kinds)
        rows.extend(
            rollups.values("kind", "key").annotate(n=Sum("count"), amount=Sum("amount_minor")).order_by()
        )
    # The days not rolled up, as contiguous stretches of raw events.
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
        events = Event.objects.filter(at__gte=lo, at__lt=hi)
        if kinds is not None:
            events = events.filter(kind__in=kinds)
        rows.extend(grouped(events, dimension))
    return rows


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
