"""A real gunicorn (started by the one live harness, tests/live/harness.py) serving a copy of the
test database, for tests that need real concurrency and a real socket (the cross-channel race,
schemathesis)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.live.harness import gunicorn


def database_url(tmp: Path) -> str:
    """A URL the server process can open and that holds exactly what the test committed."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        # The test database is in memory; the server gets a file copy of it.
        path = tmp / "live.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


@contextmanager
def serve(tmp: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(tmp),
        "MASTHEAD_VAR_DIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTHEAD_TEST_CACHE": "shared",  # the workers share one cache, as in production
    }
    with gunicorn("api", env, tmp, workers=2, threads=10, ready_path="/api/v1/sections") as host:
        yield host.base_url
