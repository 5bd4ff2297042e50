"""A real gunicorn with two sync workers for the sign-in gate's cross-worker tests, started by the
one live harness (tests/live/harness.py), once per test module. Its access log names the worker
(pid) that answered each request, so a test can show that both workers took part.

The server has a database of its own: a copy of the session's migrated template (tests/migrated.py)
with the module's accounts added by one short process. `reset()` puts the server back as it
started, between tests: no sign-in counted, no session, nothing in the shared cache, an empty
access log; so each test sees a server that has answered nobody before it.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import migrated
from tests.live.harness import ROOT, Host, gunicorn, worker_pids

# What a server writes while it answers sign-ins: counts, sessions, the shared cache (throttles).
SERVER_STATE_TABLES = ("accounts_signincount", "django_session", "masthead_shared_cache")

SEED = """
import sys
import django
django.setup()
from tests.signin.conftest import make_account
for email in sys.argv[1:]:
    make_account(email, staff=True)
"""


@dataclass
class LiveServer:
    base_url: str
    host: Host
    database_url: str

    def worker_pids(self) -> set[str]:
        return worker_pids(self.host)

    def reset(self) -> None:
        """Forget every try, session and cached entry, and the access log, of earlier tests."""
        statements = [f"DELETE FROM {table}" for table in SERVER_STATE_TABLES]
        if self.database_url.startswith("sqlite:///"):
            with closing(sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=30)) as db:
                for statement in statements:
                    db.execute(statement)
                db.commit()
        else:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as db:
                for statement in statements:
                    db.execute(statement)
        self.host.log.write_text("")


def _own_database(tmp: Path) -> tuple[str, str | None]:
    """(URL, PostgreSQL server to drop it from or None): a migrated copy beside the test database."""
    from django.db import connection

    if connection.vendor == "sqlite":
        path = tmp / "signin-live.sqlite3"
        migrated.sqlite_copy(path)
        return f"sqlite:///{path}", None
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    address = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    server = f"postgres://{db.get('USER') or ''}{password}@{address}"
    name = f"masthead_signin_{secrets.token_hex(4)}"
    migrated.postgres_copy(server, name)
    return f"{server}/{name}", server


@contextmanager
def serve(tmp: Path, *, accounts: list[str], workers: int = 2) -> Iterator[LiveServer]:
    """The server, on a database of its own holding `accounts` (staff, confirmed, PASSWORD)."""
    database_url, pg_server = _own_database(tmp)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url,
        "MASTHEAD_VAR_DIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTHEAD_TEST_CACHE": "shared",
        "PYTHONPATH": str(ROOT),
    }
    try:
        subprocess.run(
            [sys.executable, "-c", SEED, *accounts],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        # Sync workers take one request at a time, so overlapping requests must be shared out.
        with gunicorn(
            "signin", env, tmp, workers=workers, threads=1, worker_class="sync", ready_path="/accounts/login/"
        ) as host:
            server = LiveServer(base_url=host.base_url, host=host, database_url=database_url)
            server.reset()
            yield server
    finally:
        if pg_server is not None:
            import psycopg

            with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database_url.rsplit("/", 1)[1]}" WITH (FORCE)')
