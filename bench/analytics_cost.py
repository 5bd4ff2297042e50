"""What recording analytics costs an anonymous metered article view, measured side by side.

    BENCH_DATABASE=postgres REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/analytics_cost.py

A scratch publication (`bench/scratch.py`: a fresh migrated database, then `build_demo`) is read
in one process with the production settings (DEBUG off) through Django's full middleware stack
by new anonymous readers (no cookie kept, so every request starts a meter and is a metered view
with its event). Blocks of requests with the article view's `record_article_view` call on and off
alternate (the order flips every round), and each block's CPU time per request
(`time.process_time`, the process's own CPU: the buffered write of each 200 events included) is
compared, round by round (the machine's drift moves both sides of a round alike). Beside it, the
recording's own CPU, timed on the request's thread.

With BENCH_AC_CALLGRIND=1 it then counts instructions per view with and without recording under
valgrind's callgrind (deterministic, so a shared machine's noise does not enter; see
`_instructions`). Knobs: BENCH_AC_ROUNDS (20), BENCH_AC_REQUESTS (200 per block), BENCH_AC_SHORT
(100) and BENCH_AC_LONG (300) views for the callgrind runs. With REDIS_URL set the site runs
with Redis as cache and meter store, as `make bench` does.
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _reader_of_the_metered_article() -> tuple[Any, str]:
    """Django set up; a browser-like test client and the demo's first metered article's path."""
    import django

    django.setup()
    from django.test import Client

    from masthead.news.models import AccessLevel, ArticlePage

    article = ArticlePage.objects.live().filter(access=AccessLevel.METERED, sponsor__isnull=True).first()
    assert article is not None, "the demo has no metered article"
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0")
    return client, article.url


def _inner() -> int:
    client, path = _reader_of_the_metered_article()
    from masthead.analytics import recorder, tracking

    real = tracking.record_article_view
    real_submit = recorder.submit
    # The recording's own CPU, attributed directly: the view's call and the middleware's hand-over
    # (which writes the buffer when it is full), timed on the request's thread. Unlike the on/off
    # difference, this does not drown in the block-to-block drift of the whole request.
    spent = {"seconds": 0.0}

    def timed_view(**kwargs: Any) -> None:
        started = time.thread_time()
        try:
            real(**kwargs)
        finally:
            spent["seconds"] += time.thread_time() - started

    def timed_submit(events: Any) -> None:
        started = time.thread_time()
        try:
            real_submit(events)
        finally:
            spent["seconds"] += time.thread_time() - started

    def off(**_kwargs: object) -> None:
        return None

    rounds = int(os.environ.get("BENCH_AC_ROUNDS", "20"))
    per_block = int(os.environ.get("BENCH_AC_REQUESTS", "200"))
    for _ in range(50):  # warm-up: templates, the cached fragments, the page's snapshots
        client.cookies.clear()
        assert client.get(path).status_code == 200
    results: dict[str, list[float]] = {"on": [], "off": []}
    attributed: list[float] = []
    before = _event_count()
    for number in range(rounds):
        order = ["on", "off"] if number % 2 == 0 else ["off", "on"]
        for mode in order:
            tracking.record_article_view = timed_view if mode == "on" else off  # type: ignore[assignment]
            recorder.submit = timed_submit if mode == "on" else real_submit  # type: ignore[assignment]
            spent["seconds"] = 0.0
            started = time.process_time()
            for _ in range(per_block):
                client.cookies.clear()
                client.get(path)
            block = (time.process_time() - started) * 1000 / per_block
            results[mode].append(block)
            if mode == "on":
                attributed.append(spent["seconds"] * 1000 / per_block)
    tracking.record_article_view = real  # type: ignore[assignment]
    recorder.submit = real_submit  # type: ignore[assignment]
    recorder.flush()
    written = _event_count() - before
    paired = [a / b for a, b in zip(results["on"], results["off"], strict=True)]
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
                # Each round's on/off pair side by side, then the median: drift cancels.
                "paired_cost_percent": round((statistics.median(paired) - 1) * 100, 1),
                "recording_cpu_ms_per_view": round(statistics.median(attributed), 4),
                "recording_share_percent": round(
                    statistics.median(attributed) / (on - statistics.median(attributed)) * 100, 1
                ),
                "events_written": written,
                "views_recorded": rounds * per_block,
            }
        )
    )
    return 0


def _counted() -> int:
    """Under callgrind: warm up, then N views with recording on or off, and exit (the buffer's
    remainder is written at exit, the same in every run)."""
    client, path = _reader_of_the_metered_article()
    from masthead.analytics import tracking

    mode, count = sys.argv[2], int(sys.argv[3])
    if mode == "off":
        tracking.record_article_view = lambda **_kwargs: None  # type: ignore[assignment]
    for _ in range(20 + count):
        client.cookies.clear()
        assert client.get(path).status_code == 200
    return 0


def _instructions(env: dict[str, str], tmp: Path) -> dict[str, Any]:
    """Instructions per view with and without recording, counted by callgrind: the same figure
    whatever else the machine is doing (CPU time on a shared machine drifts by 20 % and more
    between blocks). Each mode runs twice, with SHORT and LONG views after the same start-up,
    so (LONG - SHORT) / (LONG - SHORT views) is the steady cost of one view, start-up excluded."""
    short, long = int(os.environ.get("BENCH_AC_SHORT", "100")), int(os.environ.get("BENCH_AC_LONG", "300"))
    counted: dict[str, dict[int, int]] = {"on": {}, "off": {}}
    for mode in ("on", "off"):
        for views in (short, long):
            out = tmp / f"callgrind.{mode}.{views}"
            subprocess.run(
                ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                 sys.executable, __file__, "--counted", mode, str(views)],
                cwd=ROOT, env={**env, "PYTHONHASHSEED": "0"}, capture_output=True, text=True,
                timeout=3600, check=True,
            )  # fmt: skip
            totals = next(
                line for line in out.read_text().splitlines() if line.startswith(("totals:", "summary:"))
            )
            counted[mode][views] = int(totals.split()[1])
    per_view = {mode: (runs[long] - runs[short]) / (long - short) for mode, runs in counted.items()}
    return {
        "instructions": counted,
        "instructions_per_view_on": round(per_view["on"]),
        "instructions_per_view_off": round(per_view["off"]),
        "instruction_cost_percent": round((per_view["on"] / per_view["off"] - 1) * 100, 2),
    }


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
        # Served as deployed: production settings, DEBUG off, collected static files (the
        # scratch site's own dev settings log every query and would double the view's CPU).
        production = {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DEBUG": "false",
            "SECURE_SSL_REDIRECT": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "MASTHEAD_METER_REQUIRE_DURABLE": "false",
            "LOG_LEVEL": "ERROR",
        }
        env = site.env(MASTHEAD_ANALYTICS_BUFFER_SIZE="200", **extra)
        env.update(production)
        collected = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if collected.returncode != 0:
            print(collected.stderr[-3000:])
            return 1
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
            f"(paired by round {result['paired_cost_percent']:+.1f} %); the recording's own CPU "
            f"{result['recording_cpu_ms_per_view']} ms per view, {result['recording_share_percent']} % of "
            f"the rest of the view ({result['events_written']} events written for "
            f"{result['views_recorded']} recorded views)"
        )
        if os.environ.get("BENCH_AC_CALLGRIND", "") not in ("", "0"):
            counted = _instructions(env, site.tmp)
            print("INSTRUCTIONS " + json.dumps(counted))
            print(
                "instructions per anonymous metered view (callgrind): "
                f"{counted['instructions_per_view_on']:,} "
                f"with recording, {counted['instructions_per_view_off']:,} without: "
                f"{counted['instruction_cost_percent']:+.2f} %"
            )
    return 0


if __name__ == "__main__":
    if "--inner" in sys.argv:
        raise SystemExit(_inner())
    if "--counted" in sys.argv:
        raise SystemExit(_counted())
    raise SystemExit(main())
