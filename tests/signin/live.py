"""A real gunicorn with two sync workers serving a copy of the test database, for the sign-in
gate's cross-worker test, started by the one live harness (tests/live/harness.py). Its access log
names the worker (pid) that answered each request, so a test can show that both workers took part."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.live.harness import Host, copy_of_test_database, gunicorn, worker_pids


@dataclass
class LiveServer:
    base_url: str
    host: Host

    def worker_pids(self) -> set[str]:
        return worker_pids(self.host)


@contextmanager
def serve(tmp: Path, *, workers: int = 2) -> Iterator[LiveServer]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": copy_of_test_database(tmp),
        "MASTHEAD_VAR_DIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTHEAD_TEST_CACHE": "shared",
    }
    # Sync workers take one request at a time, so overlapping requests must be shared out.
    with gunicorn(
        "signin", env, tmp, workers=workers, threads=1, worker_class="sync", ready_path="/accounts/login/"
    ) as host:
        yield LiveServer(base_url=host.base_url, host=host)
