"""Where a request's time goes: cProfile over N test-client requests of one path.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=... python -m bench.profile_path /politics/x/ \
        [--requests 200] [--cookie 'sessionid=...'] [--fresh-reader] [--sort cumulative] [--limit 40]

Run it against a bench database (BENCH_KEEP=1 keeps the SQLite one; PostgreSQL's stays). The
first request is not profiled, so one-off warm-up costs do not hide the steady state.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--authorization", default="")
    parser.add_argument("--fresh-reader", action="store_true", help="no cookie kept between requests")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    headers = {}
    if args.cookie:
        headers["Cookie"] = args.cookie
    if args.authorization:
        headers["Authorization"] = args.authorization
    client = Client(HTTP_HOST="127.0.0.1")
    first = client.get(args.path, headers=headers)
    print(f"warm-up: HTTP {first.status_code}, {len(first.content)} bytes")
    with CaptureQueriesContext(connection) as captured:
        client.get(args.path, headers=headers)
    print(f"queries per request: {len(captured.captured_queries)}")
    for query in captured.captured_queries:
        print(f"  {query['time']}s {query['sql'][:160]}")

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(args.requests):
        if args.fresh_reader:
            client.cookies.clear()  # a new Client would also reload the middleware: not what a server does
        client.get(args.path, headers=headers)
    profiler.disable()
    elapsed = time.perf_counter() - started
    each = 1000 * elapsed / args.requests
    print(f"{args.requests} requests in {elapsed:.2f}s: {each:.2f} ms each (profiled)")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.limit)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
