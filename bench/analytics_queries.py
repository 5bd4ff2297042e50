"""Analytics at scale: N events (10 million by default) in a PostgreSQL database of its own, rolled
up, then every query the dashboard makes, timed. Prints figures; asserts nothing.

    .venv/bin/python bench/analytics_queries.py [--events 10000000] [--database masthead_bench_analytics]

The events are generated inside PostgreSQL (generate_series), 90 days of them with a few stories
carrying most of the traffic, then the rollup job rolls up every closed day. The database is
dropped at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")

INSERT = """
INSERT INTO analytics_event (at, kind, reader, account_id, article_id, last_touch_article_id,
    first_touch_article_id, experiment, variant, reader_kind, access_level, decision, meter_position,
    meter_limit, prompt, referrer_class, utm_source, utm_medium, utm_campaign, offer_id, currency)
SELECT
    %(now)s - (random() * interval '90 days'),
    CASE WHEN r < 0.85 THEN 'view' WHEN r < 0.95 THEN 'wall' WHEN r < 0.975 THEN 'registration'
         WHEN r < 0.985 THEN 'checkout_started' WHEN r < 0.990 THEN 'subscription_started'
         WHEN r < 0.993 THEN 'trial_started' ELSE 'renewal' END,
    md5((g %% 2000000)::text),
    NULL,
    CASE WHEN r < 0.95 THEN 1 + (random() * random() * 800)::int END,
    CASE WHEN r >= 0.95 THEN 1 + (random() * random() * 800)::int END,
    CASE WHEN r >= 0.95 THEN 1 + (random() * random() * 800)::int END,
    CASE WHEN g %% 2 = 0 THEN 'meter-limit' ELSE '' END,
    CASE WHEN g %% 2 = 0 THEN (ARRAY['a', 'b'])[1 + (g / 2) %% 2] ELSE '' END,
    CASE WHEN r < 0.95 THEN 'anonymous' ELSE 'registered' END,
    'metered',
    CASE WHEN r < 0.85 THEN 'metered' ELSE 'registration-required' END,
    CASE WHEN r < 0.85 THEN 1 + (g %% 3) END,
    3,
    CASE WHEN r < 0.85 THEN 'metered-remaining' ELSE 'registration-wall' END,
    (ARRAY['search', 'social', 'newsletter', 'direct', 'internal', 'other'])[1 + (g %% 6)],
    '', '', '',
    CASE WHEN r >= 0.975 AND r < 0.993 THEN 1 + (g %% 3) END,
    'USD'
FROM (SELECT g, random() AS r FROM generate_series(%(first)s, %(last)s) AS g) AS s
"""


def admin_connection(dbname: str = "postgres") -> Any:
    import psycopg

    return psycopg.connect(f"{SERVER}/{dbname}", autocommit=True)


def timed(label: str, run: Callable[[], Any], repeat: int = 3, *, cold: bool = True) -> float:
    """Median wall time of `repeat` runs (and this process's CPU, the rest is PostgreSQL's); `cold`
    empties the cache before each run, so kept answers are not what is timed."""
    from django.core.cache import cache

    times, cpu = [], []
    for _ in range(repeat):
        if cold:
            cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    best, median = min(times), statistics.median(times)
    print(
        f"  {label:<66} median {median * 1000:8.1f} ms   best {best * 1000:8.1f} ms"
        f"   (CPU here {statistics.median(cpu) * 1000:6.1f} ms)",
        flush=True,
    )
    return median


def page_timings(ranges: dict[str, Any]) -> float:
    """The dashboard as the publisher opens it: the whole page rendered through Django's test
    client, signed in as a superuser; first load (nothing kept) and loads after it."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.filter(email="bench-analyst@example.com").first()
    if user is None:
        user = get_user_model().objects.create_superuser(
            email="bench-analyst@example.com", password="a long bench passphrase 9"
        )
    client = Client()
    client.force_login(user)

    def page(query: dict[str, str], path: str = "/admin/analytics/") -> Callable[[], None]:
        def run() -> None:
            response = client.get(path, query)
            assert response.status_code == 200, response.status_code

        return run

    worst = 0.0
    print("\nThe whole page (/admin/analytics/ rendered through the test client):")
    for name, (start, end) in ranges.items():
        query = {"start": start.isoformat(), "end": end.isoformat()}
        for by in ("article", "section", "referrer", "variant"):
            q = {**query, "by": by}
            worst = max(worst, timed(f"page by {by}, {name}, first load (nothing kept)", page(q)))
            worst = max(worst, timed(f"page by {by}, {name}, next loads", page(q), cold=False))
        timed(
            f"funnel.json by article, {name}, first load",
            page({**query, "by": "article"}, "/admin/analytics/funnel.json"),
        )
    print(f"  slowest whole page: {worst * 1000:.0f} ms")
    return worst


def generate(events: int, *, now: Any) -> int:
    from django.db import connection

    from masthead.analytics.models import Event

    started = time.perf_counter()
    batch = 1_000_000
    with connection.cursor() as cursor:
        for first in range(1, events + 1, batch):
            last = min(first + batch - 1, events)
            cursor.execute(INSERT, {"now": now, "first": first, "last": last})
            print(f"  inserted {last:>11,} events ({time.perf_counter() - started:.0f} s)", flush=True)
        cursor.execute("ANALYZE analytics_event")
    count = Event.objects.count()
    print(f"Inserted {count:,} events in {time.perf_counter() - started:.0f} s")
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--database", default="masthead_bench_analytics")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the events of an earlier run with --keep in the same database (no drop, no generation)",
    )
    parser.add_argument("--page-only", action="store_true", help="time the whole page only")
    args = parser.parse_args()

    with admin_connection() as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database]).fetchone()
        reuse = bool(args.reuse and exists)
        if not reuse:
            conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')
            conn.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"{SERVER}/{args.database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from masthead.analytics import funnel as funnel_module
    from masthead.analytics import revenue
    from masthead.analytics.models import DailyRollup, Event
    from masthead.analytics.rollup import cut_rows, grouped, roll_up, zone

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"Migrated the database in {time.perf_counter() - started:.0f} s")
        now = timezone.now()
        if reuse and Event.objects.exists():
            count = Event.objects.count()
            print(f"Reusing {count:,} events generated by an earlier run")
        else:
            count = generate(args.events, now=now)
        started = time.perf_counter()
        summary = roll_up(now=now)
        print(
            f"{summary} in {time.perf_counter() - started:.0f} s; {DailyRollup.objects.count():,} rollup rows"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE analytics_dailyrollup")

        today = now.astimezone(zone()).date()
        ranges = {
            "30 days": (today - timedelta(days=29), today),
            "90 days": (today - timedelta(days=89), today),
        }
        if args.page_only:
            page_timings(ranges)
            return
        print(f"\nDashboard queries ({count:,} events; nothing kept between runs):")
        worst = 0.0
        for name, (start, end) in ranges.items():
            worst = max(
                worst, timed(f"funnel totals, {name}", lambda s=start, e=end: funnel_module.funnel(s, e))
            )
            for by in funnel_module.CUTS:
                worst = max(
                    worst,
                    timed(
                        f"funnel by {by}, {name}", lambda s=start, e=end, b=by: funnel_module.funnel(s, e, b)
                    ),
                )
            worst = max(
                worst,
                timed(
                    f"stories that make subscribers, {name}",
                    lambda s=start, e=end: funnel_module.stories(s, e),
                ),
            )
        tz = zone()
        from datetime import datetime

        lo = datetime.combine(today - timedelta(days=29), datetime.min.time(), tzinfo=tz)
        hi = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)
        worst = max(
            worst, timed("revenue summary (billing records), 30 days", lambda: revenue.summary(lo, hi))
        )
        worst = max(
            worst,
            timed(
                "today: its rollup so far and the events since (cut by article)",
                lambda: cut_rows(today, today, "article"),
            ),
        )
        print(f"  slowest dashboard query: {worst * 1000:.0f} ms")

        page_timings(ranges)

        print("\nFor comparison, the same cut straight from the raw events (no rollups):")
        timed(
            "funnel by article from raw events, 30 days",
            lambda: grouped(Event.objects.filter(at__gte=lo, at__lt=hi), "article"),
            repeat=1,
        )
    finally:
        connection.close()
        if not args.keep:
            with admin_connection() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.database}"')


if __name__ == "__main__":
    main()
