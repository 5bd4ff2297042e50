"""Exactly once through a provider's batch API across a crash: the real worker process
(`send_newsletter_issue ID --foreground`, anymail's Mailgun backend) sends 300 readers in batches of
50 to a Mailgun on 127.0.0.1; the provider stalls the 2nd call (reads it, never answers, never
keeps it) and kills the worker with SIGKILL meanwhile. Started again, the worker sends every copy
the provider does not have: 0 duplicates and 0 misses at the provider, on SQLite and PostgreSQL.

The 50 copies that were inside the dead worker's call are counted in doubt (the worker cannot
know whether a provider kept a call it never answered: they are sent again, and the editor is
told). One connection: with several, a kill can land between another call's acceptance and its
mark, and that batch is sent twice (counted in doubt too; see docs/newsletters.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.newsletters.fake_mailgun import fake_mailgun
from tests.newsletters.test_crash_resume import READERS, SEED, _wait
from tests.schedule.processes import PYTHON, ROOT, Database, database_fixtures, process_env

pytestmark = pytest.mark.live

BATCH = 50


template, database = database_fixtures("newsletter-provider-template")


def _worker(database: Database, tmp_path: Path, api_url: str, issue: int) -> subprocess.Popen[str]:
    env = process_env(
        database.url,
        tmp_path,
        EMAIL_BACKEND="anymail.backends.mailgun.EmailBackend",
        ANYMAIL_MAILGUN_API_KEY="key-test",
        ANYMAIL_MAILGUN_API_URL=api_url,
        ANYMAIL_MAILGUN_SENDER_DOMAIN="news.example.com",
        MASTHEAD_NEWSLETTER_PROVIDER_BATCH=str(BATCH),
        MASTHEAD_NEWSLETTER_CONNECTIONS="1",
        MASTHEAD_NEWSLETTER_LEASE_SECONDS="2",
    )
    return subprocess.Popen(
        [PYTHON, "manage.py", "send_newsletter_issue", str(issue), "--foreground", "--batch-size", "25"],
        cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_kill_9_while_the_provider_holds_a_batch_then_resume_sends_each_copy_once(
    database: Database, tmp_path: Path
) -> None:
    seeded = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SEED],
        cwd=ROOT, env=process_env(database.url, tmp_path), text=True, capture_output=True, timeout=300,
    )  # fmt: skip
    assert seeded.returncode == 0, seeded.stderr
    issue = int(seeded.stdout.split("ISSUE")[-1].strip())
    with fake_mailgun() as mailgun:
        victim: list[int] = []
        mailgun.stall_call = 2
        mailgun.on_stall = lambda: os.kill(victim[0], signal.SIGKILL)
        # when: the worker is killed while the provider holds its 2nd batch call
        worker = _worker(database, tmp_path, mailgun.api_url, issue)
        victim.append(worker.pid)
        code, output = _wait(worker)
        assert code == -signal.SIGKILL, output
        assert mailgun.calls == [BATCH, BATCH] and len(mailgun.copies) == BATCH
        in_call = database.rows(
            "SELECT COUNT(*) FROM newsletters_recipient WHERE status = 'claimed' AND batch_id <> ''"
        )[0][0]
        assert in_call == BATCH  # the dead worker's call is on record, committed before it went
        mailgun.released.set()
        # and started again
        code, output = _wait(_worker(database, tmp_path, mailgun.api_url, issue))
        # then: every reader has exactly one copy at the provider
        assert code == 0, output
        assert output.strip().splitlines()[-1] == f"sent {READERS - BATCH}, skipped {BATCH}, failed 0"
        received = Counter(copy.to for copy in mailgun.copies)
        assert [to for to, n in received.items() if n > 1] == []  # 0 duplicates
        assert set(received) == {f"reader{i}@example.com" for i in range(READERS)}  # 0 misses
        assert len({copy.headers["Message-Id"] for copy in mailgun.copies}) == READERS
        # and: the copies of the call the worker died in are counted in doubt for the editor
        assert f"in doubt {BATCH}:" in output
        assert database.rows(f"SELECT status, in_doubt_count FROM newsletters_issue WHERE id = {issue}") == [
            ("sent", BATCH)
        ]
        assert database.rows(
            "SELECT status, in_doubt, COUNT(*) FROM newsletters_recipient "
            "GROUP BY status, in_doubt ORDER BY 2"
        ) == [("sent", False, READERS - BATCH), ("sent", True, BATCH)]
        ids = database.rows("SELECT provider_message_id FROM newsletters_recipient")
        assert all(row[0].endswith("@mailgun.fake>") for row in ids)
