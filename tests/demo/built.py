"""The demo built once per test module instead of once per test.

`manage.py build_demo` draws every photo and writes every page: seconds of CPU a run. A module of
tests that reads the demo (or changes it and checks what it did) builds it once, inside a
transaction that stays open for the whole module; each test then runs in a savepoint of its own
(pytest-django's `db`), so whatever a test changes in the database is rolled back before the next
one, and every test starts from the demo exactly as `build_demo` left it. At the end of the module
the transaction is rolled back: later modules find the empty migrated database as before.

The build runs with the task backends of `make demo`, which starts no task worker: queued tasks
never run, so what the tests read (the search index above all) is what `build_demo` itself wrote.
The photos go to a folder of the module's own (MEDIA_ROOT for all its tests).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

NO_TASK_WORKER = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    "worker": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


def demo_fixture() -> Any:
    """A module-scoped fixture: the demo's first `build_demo` output; MEDIA_ROOT is its photos."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
        media: Path = tmp_path_factory.mktemp("demo-media")
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
            cache.clear()
            with transaction.atomic():
                out = io.StringIO()
                with override_settings(TASKS=NO_TASK_WORKER):
                    call_command("build_demo", stdout=out)
                cache.clear()
                try:
                    yield out.getvalue()
                finally:
                    transaction.set_rollback(True)
            cache.clear()

    return demo
