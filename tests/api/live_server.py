"""A real gunicorn (started by the one live harness, tests/live/harness.py) serving a copy of the
test database, for tests that need real concurrency and a real socket (the cross-channel race,
schemathesis)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.live.harness import copy_of_test_database, gunicorn


@contextmanager
def serve(tmp: Path) -> Iterator[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": copy_of_test_database(tmp),
        "MASTHEAD_VAR_DIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
        "MASTHEAD_TEST_CACHE": "shared",  # the workers share one cache, as in production
    }
    with gunicorn("api", env, tmp, workers=2, threads=10, ready_path="/api/v1/sections") as host:
        yield host.base_url
