"""Members import at scale: a generated Ghost members CSV of 50,000 members.

A fresh database (SQLite in a temporary directory, or PostgreSQL at BENCH_PG_URL when
BENCH_DATABASE=postgres) is migrated and given the free newsletter; then one process (as an
operator's `manage.py` would be) runs, in turn, a dry run, the import, and the same import again.
The members are 80% free (half of them on the newsletter), 12% complimentary (half with an
`exp-YYYY-MM` label), 5% paid tiers without a payment record (listed for staff), 3% duplicate
addresses in other letter cases. Stripe customer ids are left out: linking them is one Stripe
call per paying member and measures Stripe, not us.

Reported: seconds, CPU seconds of the importing process and members per second for each pass,
the load average after it, the process's peak RSS (getrusage of the
child) and the Python heap's peak during the import (tracemalloc), rows in the database after
each pass. Nothing asserts on the figures.

Run: `.venv/bin/python bench/import_members_bench.py` (prints JSON). Knobs: BENCH_MEMBERS
(50000), BENCH_DATABASE (sqlite|postgres), BENCH_PG_URL.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the repository root must be there instead
# (as bench/run.py does) so `bench.*` imports as a package.
sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]

from bench.scratch import passes, scratch_site  # noqa: E402

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
import json, os, time, tracemalloc
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
    started, cpu = time.perf_counter(), time.process_time()
    import_ghost_members({path!r}, report=report, dry_run=dry)
    seconds = time.perf_counter() - started
    entry = {{"seconds": round(seconds, 1), "cpu_seconds": round(time.process_time() - cpu, 1),
              "line": report.line(), "rows_after": rows(), "warnings": len(report.warnings),
              "load_average_after": [round(n, 1) for n in os.getloadavg()]}}
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


def run(count: int | None = None) -> dict[str, Any]:
    count = count or int(os.environ.get("BENCH_MEMBERS", "50000"))
    with scratch_site("membersbench") as site:
        members = site.tmp / "members.csv"
        generate(members, count)
        file_mb = round(members.stat().st_size / 2**20, 1)
        done = site.run("shell", "-c", RUN.format(path=str(members)))
    found = passes(done, count=count, per_second="members_per_second")
    if found is None:
        return {"members": count, "error": done.output[-3000:]}
    return {
        "members": count,
        "database": site.database,
        "file_mb": file_mb,
        "peak_rss_mb": done.peak_rss_mb,
        **found,
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
