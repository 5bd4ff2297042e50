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
BENCH_NL_CONNECTIONS (the worker's MASTHEAD_NEWSLETTER_CONNECTIONS; the settings' default if unset),
BENCH_NL_PROVIDER=mailgun: send through anymail's Mailgun backend in provider batches (up to 1,000
recipients a call) to the Mailgun of tests/newsletters/fake_mailgun.py on 127.0.0.1 instead (it
counts each recipient and times the calls; "sending" is first to last call answered).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the repository root must be there instead
# (as bench/run.py does) so `bench.*` imports as a package.
sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]

from bench.scratch import scratch_site  # noqa: E402

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


def run_provider(count: int) -> dict[str, Any]:
    from tests.newsletters.fake_mailgun import fake_mailgun

    with scratch_site("nlbench") as site, fake_mailgun() as mailgun:
        mailgun.keep_copies = False
        seeded = site.run("shell", "-c", SEED.format(n=count))
        if seeded.exit_code != 0:
            raise RuntimeError(f"seeding the newsletter bench failed:\n{seeded.output[-3000:]}")
        issue = int(seeded.output.split("ISSUE")[-1].split()[0])
        connections = os.environ.get("BENCH_NL_CONNECTIONS")
        done = site.run(
            "send_newsletter_issue",
            str(issue),
            "--foreground",
            EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
            ANYMAIL_MAILGUN_API_KEY="key-bench",
            ANYMAIL_MAILGUN_API_URL=mailgun.api_url,
            ANYMAIL_MAILGUN_SENDER_DOMAIN="bench.example",
            **({"MASTHEAD_NEWSLETTER_CONNECTIONS": connections} if connections else {}),
        )
        sending = mailgun.last - mailgun.first if mailgun.last > mailgun.first else None
        delivered = sum(mailgun.received.values())
        calls = list(mailgun.calls)
    output = done.output
    return {
        "provider": "mailgun (fake, 127.0.0.1)",
        "recipients": count,
        "connections": connections or "default",
        "database": site.database,
        "exit_code": done.exit_code,
        "last_line": output.strip().splitlines()[-1] if output.strip() else "",
        "api_calls": len(calls),
        "largest_call": max(calls) if calls else 0,
        "seconds_whole_command": round(done.seconds, 2),
        "recipients_per_second": round(count / done.seconds, 1),
        "recipients_per_second_sending": round(delivered / sending, 1) if sending else None,
        "peak_rss_mb": done.peak_rss_mb,
        "delivered": delivered,
        "duplicates": sum(1 for n in mailgun.received.values() if n > 1),
        "missed": count - len(mailgun.received),
    }


def run(recipients: int | None = None) -> dict[str, Any]:
    from aiosmtpd.controller import Controller

    count = recipients or int(os.environ.get("BENCH_NL_RECIPIENTS", "10000"))
    if os.environ.get("BENCH_NL_PROVIDER") == "mailgun":
        return run_provider(count)
    with scratch_site("nlbench") as site:
        seeded = site.run("shell", "-c", SEED.format(n=count))
        if seeded.exit_code != 0:
            raise RuntimeError(f"seeding the newsletter bench failed:\n{seeded.output[-3000:]}")
        issue = int(seeded.output.split("ISSUE")[-1].split()[0])
        sink = CountingSink()
        port = _free_port()
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            connections = os.environ.get("BENCH_NL_CONNECTIONS")
            done = site.run(
                "send_newsletter_issue",
                str(issue),
                "--foreground",
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(port),
                **({"MASTHEAD_NEWSLETTER_CONNECTIONS": connections} if connections else {}),
            )
            time.sleep(0.2)
        finally:
            controller.stop()
    sending = (sink.last - sink.first) if sink.first and sink.last and sink.last > sink.first else None
    delivered = sum(sink.seen.values())
    output = done.output
    return {
        "recipients": count,
        "connections": connections or "default",
        "database": site.database,
        "exit_code": done.exit_code,
        "last_line": output.strip().splitlines()[-1] if output.strip() else "",
        "seconds_whole_command": round(done.seconds, 2),
        "recipients_per_second": round(count / done.seconds, 1),
        "recipients_per_second_sending": round((delivered - 1) / sending, 1) if sending else None,
        "peak_rss_mb": done.peak_rss_mb,
        "delivered": delivered,
        "duplicates": sum(1 for n in sink.seen.values() if n > 1),
        "missed": count - len(sink.seen),
    }


def main() -> int:
    result = run()
    print(json.dumps(result, indent=2))
    return 0 if result["exit_code"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
