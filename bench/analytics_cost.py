"""What recording analytics costs an anonymous metered article view, measured side by side.

    BENCH_DATABASE=postgres REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/analytics_cost.py

A scratch publication (`bench/scratch.py`: a fresh migrated database, then `build_demo`) is read
in one process through Django's full middleware stack by new anonymous readers (no cookie kept,
so every request starts a meter and is a metered view with its event). Blocks of requests with
the article view's `record_article_view` call on and off alternate (the order flips every round),
and each block's CPU time per request (`time.process_time`, the process's own CPU: the buffered
INSERT of each 200 events included) is compared. The ratio of the medians is the figure; the
machine's load moves both sides of a round alike.

Knobs: BENCH_AC_ROUNDS (8), BENCH_AC_REQUESTS (300 per block). With REDIS_URL set the site runs
with Redis as cache and meter store, as `make bench` does.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _inner() -> int:
    import django

    django.setup()
    from django.test import Client

    from masthead.analytics import recorder, tracking
    from masthead.news.models import AccessLevel, ArticlePage

    article = ArticlePage.objects.live().filter(access=AccessLevel.METERED, sponsor__isnull=True).first()
    assert article is not None, "the demo has no metered article"
    path = article.url
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0")
    real = tracking.record_article_view

    def off(**_kwargs: object) -> None:
        return None

    rounds = int(os.environ.get("BENCH_AC_ROUNDS", "8"))
    per_block = int(os.environ.get("BENCH_AC_REQUESTS", "300"))
    for _ in range(50):  # warm-up: templates, the cached fragments, the page's snapshots
        client.cookies.clear()
        assert client.get(path).status_code == 200
    results: dict[str, list[float]] = {"on": [], "off": []}
    before = _event_count()
    for number in range(rounds):
        order = ["on", "off"] if number % 2 == 0 else ["off", "on"]
        for mode in order:
            tracking.record_article_view = real if mode == "on" else off  # type: ignore[assignment]
            started = time.process_time()
            for _ in range(per_block):
                client.cookies.clear()
                client.get(path)
            results[mode].append((time.process_time() - started) * 1000 / per_block)
    tracking.record_article_view = real  # type: ignore[assignment]
    recorder.flush()
    written = _event_count() - before
    on, off_ = statistics.median(results["on"]), statistics.median(results["off"])
    print(
        "RESULT "
        + json.dumps(
            {
                "path": path,
                "rounds": rounds,
                "requests_per_block": per_block,
                "cpu_ms_per_request_on": results["on"],
                "cpu_ms_per_request_off": results["off"],
                "median_on_ms": round(on, 3),
                "median_off_ms": round(off_, 3),
                "cost_of_recording_percent": round((on / off_ - 1) * 100, 1),
                "events_written": written,
                "views_recorded": rounds * per_block,
            }
        )
    )
    return 0


def _event_count() -> int:
    from masthead.analytics.models import Event

    return Event.objects.count()


def main() -> int:
    from bench.scratch import scratch_site

    with scratch_site("analytics-cost") as site:
        extra = {}
        if os.environ.get("REDIS_URL"):
            extra = {"REDIS_URL": os.environ["REDIS_URL"], "MASTHEAD_METER_STORE": "redis"}
        built = site.run("build_demo", **extra)
        if built.exit_code != 0:
            print(built.output[-3000:])
            return 1
        env = site.env(MASTHEAD_ANALYTICS_BUFFER_SIZE="200", **extra)
        done = subprocess.run(
            [sys.executable, __file__, "--inner"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        sys.stdout.write(done.stdout[-4000:])
        if done.returncode != 0:
            sys.stdout.write(done.stderr[-4000:])
            return done.returncode
        line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
        result = json.loads(line[len("RESULT ") :])
        print(
            f"anonymous metered view ({site.database}): {result['median_on_ms']} ms CPU with recording, "
            f"{result['median_off_ms']} ms without: {result['cost_of_recording_percent']:+.1f} % "
            f"({result['events_written']} events written for {result['views_recorded']} recorded views)"
        )
    return 0


if __name__ == "__main__":
    if "--inner" in sys.argv:
        raise SystemExit(_inner())
    raise SystemExit(main())
