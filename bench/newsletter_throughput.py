"""Newsletter send throughput: 10,000 recipients to an SMTP sink on 127.0.0.1.

A fresh database (SQLite in a temporary directory, or PostgreSQL at BENCH_PG_URL when
BENCH_DATABASE=postgres) gets a small publication, one subscribers-only article and
BENCH_NL_RECIPIENTS readers (70% registered, 20% subscribers, 10% lapsed: three cuts of the same
issue), all subscribed to one newsletter. Then `manage.py send_newsletter_issue ID --foreground`
runs as its own process, exactly as an operator would run it, sending through Django's SMTP
backend (the two-step DATA of masthead.newsletters.sending) to an aiosmtpd sink in this process.

Reported: recipients per second over the whole command (Django start-up included) and over the
sending itself (first to last message at the sink), the worker's peak RSS (its own getrusage),
and the check that the sink got each recipient exactly once. Nothing asserts on the figures.

Run alone: `.venv/bin/python bench/newsletter_throughput.py` (prints JSON); `bench/run.py`
includes it. Knobs: BENCH_NL_RECIPIENTS (10000), BENCH_DATABASE (sqlite|postgres), BENCH_PG_URL,
BENCH_NL_CONNECTIONS (the worker's MASTHEAD_NEWSLETTER_CONNECTIONS; the settings' default if unset).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

SEED = """
import itertools
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from masthead.access.models import Entitlement
from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription
from tests.builders import make_article, make_publication
N = {n}
pub = make_publication()
article = make_article(pub, access="subscribers", paragraphs=12)
User = get_user_model()
User.objects.bulk_create(
    [User(email=f"reader{{i}}@bench.example", password="!") for i in range(N)], batch_size=2000
)
now = timezone.now()
ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
rows = []
for position, uid in enumerate(ids):
    if position % 10 in (1, 2):
        rows.append(Entitlement(user_id=uid, kind="subscription", starts_at=now - timedelta(days=30)))
    elif position % 10 == 3:
        rows.append(Entitlement(user_id=uid, kind="subscription", starts_at=now - timedelta(days=60),
                                ends_at=now - timedelta(days=1)))
Entitlement.objects.bulk_create(rows, batch_size=2000)
newsletter = Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")
NewsletterSubscription.objects.bulk_create(
    [NewsletterSubscription(reader_id=uid, newsletter=newsletter, created_at=now) for uid in ids],
    batch_size=2000,
)
issue = Issue.objects.create(
    newsletter=newsletter, subject="Bench briefing", intro="Good morning.", article=article
)
print("ISSUE", issue.pk)
"""


class CountingSink:
    """Counts what it accepts (Message-ID and recipient), keeps nothing else."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: dict[str, int] = {}
        self.first: float | None = None
        self.last: float | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        with self.lock:
            for address in envelope.rcpt_tos:
                self.seen[address] = self.seen.get(address, 0) + 1
            self.first = self.first or now
            self.last = now
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MASTHEAD_VAR_DIR=str(var_dir),
        MASTHEAD_DEMO="0",
        MASTHEAD_SITE_URL="https://news.bench.example",
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        **extra,
    )
    return env


def _database(tmp: Path) -> tuple[str, Any]:
    if os.environ.get("BENCH_DATABASE", "sqlite") == "postgres":
        import psycopg

        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
        name = f"masthead_nlbench_{secrets.token_hex(4)}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop() -> None:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"{server}/{name}", drop
    return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None


def run(recipients: int | None = None) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    count = recipients or int(os.environ.get("BENCH_NL_RECIPIENTS", "10000"))
    with tempfile.TemporaryDirectory(prefix="masthead-nlbench-") as tmp_name:
        tmp = Path(tmp_name)
        url, drop = _database(tmp)
        try:
            env = _env(url, tmp)
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks"],
                cwd=ROOT, env=env, check=True, capture_output=True, timeout=900,
            )  # fmt: skip
            seeded = subprocess.run(
                [PYTHON, "manage.py", "shell", "-c", SEED.format(n=count)],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            issue = int(seeded.stdout.split("ISSUE")[-1].strip())
            sink = CountingSink()
            port = _free_port()
            controller = Controller(sink, hostname="127.0.0.1", port=port)
            controller.start()
            try:
                send_env = _env(
                    url,
                    tmp,
                    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                    EMAIL_HOST="127.0.0.1",
                    EMAIL_PORT=str(port),
                    **(
                        {"MASTHEAD_NEWSLETTER_CONNECTIONS": os.environ["BENCH_NL_CONNECTIONS"]}
                        if os.environ.get("BENCH_NL_CONNECTIONS")
                        else {}
                    ),
                )
                started = time.perf_counter()
                worker = subprocess.Popen(
                    [PYTHON, "manage.py", "send_newsletter_issue", str(issue), "--foreground"],
                    cwd=ROOT, env=send_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                )  # fmt: skip
                assert worker.stdout is not None
                output = worker.stdout.read()
                _pid, status, usage = os.wait4(worker.pid, 0)
                worker.returncode = os.waitstatus_to_exitcode(status)
                elapsed = time.perf_counter() - started
                time.sleep(0.2)
            finally:
                controller.stop()
        finally:
            drop()
    sending = (sink.last - sink.first) if sink.first and sink.last and sink.last > sink.first else None
    delivered = sum(sink.seen.values())
    return {
        "recipients": count,
        "connections": os.environ.get("BENCH_NL_CONNECTIONS") or "default",
        "database": url.split(":", 1)[0],
        "exit_code": worker.returncode,
        "last_line": output.strip().splitlines()[-1] if output.strip() else "",
        "seconds_whole_command": round(elapsed, 2),
        "recipients_per_second": round(count / elapsed, 1),
        "recipients_per_second_sending": round((delivered - 1) / sending, 1) if sending else None,
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        "delivered": delivered,
        "duplicates": sum(1 for n in sink.seen.values() if n > 1),
        "missed": count - len(sink.seen),
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    sys.path[:] = [str(ROOT)] + [
        entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"
    ]
    raise SystemExit(main())
