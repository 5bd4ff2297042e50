"""Members import at scale: a generated Ghost members CSV of 50,000 members.

A fresh database (SQLite in a temporary directory, or PostgreSQL at BENCH_PG_URL when
BENCH_DATABASE=postgres) is migrated and given the free newsletter; then one process (as an
operator's `manage.py` would be) runs, in turn, a dry run, the import, and the same import again.
The members are 80% free (half of them on the newsletter), 12% complimentary (half with an
`exp-YYYY-MM` label), 5% paid tiers without a payment record (listed for staff), 3% duplicate
addresses in other letter cases. Stripe customer ids are left out: linking them is one Stripe
call per paying member and measures Stripe, not us.

Reported: seconds and members per second for each pass, the process's peak RSS (getrusage of the
child) and the Python heap's peak during the import (tracemalloc), rows in the database after
each pass. Nothing asserts on the figures.

Run: `.venv/bin/python bench/import_members_bench.py` (prints JSON). Knobs: BENCH_MEMBERS
(50000), BENCH_DATABASE (sqlite|postgres), BENCH_PG_URL.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

HEADER = [
    "id",
    "email",
    "name",
    "note",
    "subscribed_to_emails",
    "complimentary_plan",
    "stripe_customer_id",
    "created_at",
    "deleted_at",
    "labels",
    "tiers",
]

RUN = """
import json, time, tracemalloc
from django.contrib.auth import get_user_model
from masthead.access.models import Entitlement
from masthead.importers.members.ghost import import_ghost_members
from masthead.importers.report import Report
from masthead.newsletters.models import Newsletter, NewsletterSubscription
Newsletter.objects.get_or_create(slug="the-daily", defaults={{"name": "The Daily"}})
User = get_user_model()
def rows():
    return {{"readers": User.objects.count(), "entitlements": Entitlement.objects.count(),
            "newsletter": NewsletterSubscription.objects.count()}}
out = {{}}
for name, dry in (("dry_run", True), ("import", False), ("second_run", False)):
    report = Report(dry_run=dry)
    if name == "import":
        tracemalloc.start()
    started = time.perf_counter()
    import_ghost_members({path!r}, report=report, dry_run=dry)
    seconds = time.perf_counter() - started
    entry = {{"seconds": round(seconds, 1), "line": report.line(), "rows_after": rows(),
              "warnings": len(report.warnings)}}
    if name == "import":
        entry["python_heap_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    out[name] = entry
print("RESULT" + json.dumps(out))
"""


def generate(path: Path, count: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(count):
            kind = i % 100
            email = f"member{i}@bench.example"
            if kind >= 97 and i > 100:
                email = f"Member{i - 50}@Bench.Example"  # a duplicate of an earlier member
            comped = 80 <= kind < 92
            labels = f"exp-2031-{(i % 12) + 1:02d}" if comped and i % 2 else ""
            tiers = "Premium" if comped or 92 <= kind < 97 else ""
            writer.writerow(
                [
                    f"{i:024x}",
                    email,
                    f"Member {i}",
                    "",
                    "true" if kind % 2 == 0 else "false",
                    "true" if comped else "false",
                    "",
                    f"2023-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}T10:00:00.000Z",
                    "",
                    labels,
                    tiers,
                ]
            )


def _env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MASTHEAD_VAR_DIR=str(var_dir),
        MASTHEAD_DEMO="0",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        STRIPE_SECRET_KEY="",
    )
    return env


def _database(tmp: Path) -> tuple[str, Any]:
    if os.environ.get("BENCH_DATABASE", "sqlite") == "postgres":
        import psycopg

        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
        name = f"masthead_membersbench_{secrets.token_hex(4)}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{server}/{name}", drop
    return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None


def run(count: int | None = None) -> dict[str, Any]:
    count = count or int(os.environ.get("BENCH_MEMBERS", "50000"))
    with tempfile.TemporaryDirectory(prefix="masthead-membersbench-") as tmp_name:
        tmp = Path(tmp_name)
        members = tmp / "members.csv"
        generate(members, count)
        file_mb = round(members.stat().st_size / 2**20, 1)
        url, drop = _database(tmp)
        try:
            env = _env(url, tmp)
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks"],
                cwd=ROOT, env=env, check=True, capture_output=True, timeout=1800,
            )  # fmt: skip
            worker = subprocess.Popen(
                [PYTHON, "manage.py", "shell", "-c", RUN.format(path=str(members))],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            assert worker.stdout is not None
            output = worker.stdout.read()
            _pid, status, usage = os.wait4(worker.pid, 0)
        finally:
            drop()
    if os.waitstatus_to_exitcode(status) != 0 or "RESULT" not in output:
        return {"members": count, "error": output[-3000:]}
    passes = json.loads(output.split("RESULT", 1)[1])
    for entry in passes.values():
        entry["members_per_second"] = round(count / entry["seconds"], 1) if entry["seconds"] else None
    return {
        "members": count,
        "database": url.split(":", 1)[0],
        "file_mb": file_mb,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        **passes,
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
