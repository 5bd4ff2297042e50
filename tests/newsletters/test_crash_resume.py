"""Exactly once across a crash: a real worker process (`send_newsletter_issue ID --foreground`)
sends to an SMTP server on 127.0.0.1 at the default concurrency (MASTHEAD_NEWSLETTER_CONNECTIONS
connections, driven by one thread, marked sent a group at a time), is killed with SIGKILL mid-send
three times, and is started again each time; the server then holds every recipient's copy exactly
once — counted by Message-ID and by recipient, 0 duplicates and 0 misses — on SQLite and on
PostgreSQL (the leg's DATABASE_URL).

The kills land inside SMTP conversations, by the server itself, while the other connections are
wherever their own conversations are:
1. after the server has a whole message (the final ".") and before it answers: the worker never
   learns the message was taken — the moment a "send, then mark" design sends twice;
2. at a MAIL command: other connections hold whole messages but their final "." (a group waiting
   for its mark), which the server must discard, and which must be sent again after the lease;
3. in the middle of a conversation (RCPT), before the message is complete: likewise discarded.
The server keeps a message when it has all of it, as a real server queues it then.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import os
import re
import signal
import subprocess
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.live.harness import free_port
from tests.schedule.processes import PYTHON, ROOT, Database, database_fixtures, process_env

pytestmark = pytest.mark.live

READERS = 300

SEED = f"""
from django.contrib.auth import get_user_model
from django.utils import timezone
from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription
User = get_user_model()
User.objects.bulk_create([User(email=f"reader{{i}}@example.com", password="!") for i in range({READERS})])
newsletter = Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")
now = timezone.now()
NewsletterSubscription.objects.bulk_create(
    [NewsletterSubscription(reader=u, newsletter=newsletter, created_at=now) for u in User.objects.all()]
)
issue = Issue.objects.create(newsletter=newsletter, subject="Crash-proof briefing", intro="Good morning.")
print("ISSUE", issue.pk)
"""


class KillingSink:
    """An SMTP server that kills the worker (SIGKILL) at a chosen moment of a conversation."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str]] = []  # (Message-ID, recipient)
        self.victim: tuple[int, str, int] | None = None  # (pid, "data" or "rcpt", after this many)
        self.kills = 0

    def _kill_if_due(self, phase: str) -> None:
        with self.lock:
            if self.victim and self.victim[1] == phase and len(self.received) >= self.victim[2]:
                os.kill(self.victim[0], signal.SIGKILL)
                self.victim = None
                self.kills += 1

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self._kill_if_due("mail")  # a new conversation: other connections may hold unfinished ones
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self._kill_if_due("rcpt")  # mid-conversation: this message will never be complete
        await asyncio.sleep(0.002)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:  # the whole message arrived: it is the server's now
            self.received.append((str(message["Message-ID"]), ",".join(envelope.rcpt_tos)))
        self._kill_if_due("data")  # before the worker hears "250"
        await asyncio.sleep(0.005)
        return "250 Message accepted for delivery"

    def count(self) -> int:
        with self.lock:
            return len(self.received)


template, database = database_fixtures("newsletter-template")


def _worker(database: Database, tmp_path: Path, port: int, issue: int) -> subprocess.Popen[str]:
    env = process_env(
        database.url,
        tmp_path,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        # A dead worker's claims may be taken over after 2 s (the restart waits for that).
        MASTHEAD_NEWSLETTER_LEASE_SECONDS="2",
        # MASTHEAD_NEWSLETTER_CONNECTIONS is left at the settings' default (several connections).
    )
    return subprocess.Popen(
        [PYTHON, "manage.py", "send_newsletter_issue", str(issue), "--foreground", "--batch-size", "25"],
        cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_kill_9_mid_send_and_resume_delivers_every_copy_exactly_once(
    database: Database, tmp_path: Path
) -> None:
    # given: 300 subscribed readers and an issue, in a database of the worker's own
    seeded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SEED],
        cwd=ROOT, env=process_env(database.url, tmp_path), text=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    issue = int(seeded.stdout.split("ISSUE")[-1].strip())
    sink = KillingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        # when: the worker is killed mid-send, three times (see the module's docstring), started again
        for phase, after in (("data", READERS // 4), ("mail", READERS // 2), ("rcpt", 3 * READERS // 4)):
            worker = _worker(database, tmp_path, port, issue)
            sink.victim = (worker.pid, phase, after)
            code, output = _wait(worker)
            assert code == -signal.SIGKILL, output
        assert sink.kills == 3 and sink.count() < READERS
        claimed = database.rows("SELECT COUNT(*) FROM newsletters_recipient WHERE status = 'claimed'")[0][0]
        assert claimed > 0  # the dead worker left rows claimed, to be taken over after its lease
        worker = _worker(database, tmp_path, port, issue)
        code, output = _wait(worker)
        # then: the last run finishes the issue, and the server holds each copy exactly once
        assert code == 0, output
        assert re.fullmatch(r"sent \d+, skipped \d+, failed 0", output.strip().splitlines()[-1]), output
        ids = Counter(message_id for message_id, _to in sink.received)
        recipients = Counter(to for _id, to in sink.received)
        assert [i for i, n in ids.items() if n > 1] == []  # 0 duplicates by Message-ID
        assert [r for r, n in recipients.items() if n > 1] == []  # 0 duplicates by recipient
        assert set(recipients) == {f"reader{i}@example.com" for i in range(READERS)}  # 0 misses
        assert database.rows("SELECT status, COUNT(*) FROM newsletters_recipient GROUP BY status") == [
            ("sent", READERS)
        ]
        assert database.rows(f"SELECT status, sent_count FROM newsletters_issue WHERE id = {issue}") == [
            ("sent", READERS)
        ]
        # The editor is told which copies are in doubt: marked sent, and the server's answer to their
        # final "." never read (the kill at "data" leaves at least one). Here the server has each.
        in_doubt = {row[0] for row in database.rows(
            "SELECT email FROM newsletters_recipient WHERE in_doubt AND status = 'sent'"
        )}  # fmt: skip
        assert len(in_doubt) >= 1 and in_doubt <= set(recipients)
        assert database.rows(f"SELECT in_doubt_count FROM newsletters_issue WHERE id = {issue}") == [
            (len(in_doubt),)
        ]
        assert f"in doubt {len(in_doubt)}:" in output
        acknowledged = database.rows(
            "SELECT COUNT(*) FROM newsletters_recipient WHERE accepted_at IS NOT NULL AND relay_reply <> ''"
        )[0][0]
        assert acknowledged == READERS - len(in_doubt)  # every other copy has the server's "250" line
        # A run after the end sends nothing.
        code, output = _wait(_worker(database, tmp_path, port, issue))
        assert output.strip().splitlines()[-1] == f"sent 0, skipped {READERS}, failed 0"
        assert len(sink.received) == READERS
    finally:
        controller.stop()


def _wait(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str]:
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"the worker did not finish within {timeout} s:\n{output}") from None
    return process.returncode, output
