"""The demo built once per test session, and handed to each module that reads it as a fresh copy.

`manage.py build_demo` draws every photo and writes every page: ~10 s of CPU a run, which each
module that read the demo used to pay again. Now the first module that asks builds it once (with
the task backends of `make demo`, which starts no task worker: queued tasks never run, so what
the tests read, the search index above all, is what `build_demo` itself wrote) and keeps a copy
of the database and of its photos; every module then starts from its own copy of both, as if it
had built the demo itself:

- SQLite (the in-memory test database): the database is copied in and out with the sqlite3
  backup API, a few milliseconds; at the end of the module the database as it was before goes
  back in.
- PostgreSQL: the demo is built in a database of its own (a copy of the test database), kept as
  a template; each module gets `CREATE DATABASE ... TEMPLATE` of it and the test connection points
  there until the module ends.

Within a module each test runs in a savepoint of its own (pytest-django's `db`), so whatever a
test changes is rolled back before the next one. The photos go to a folder of the module's own
(MEDIA_ROOT for all its tests).
"""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

NO_TASK_WORKER = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
    "worker": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


@dataclass
class Built:
    output: str  # what the first `build_demo` printed
    media: Path  # its photos
    sqlite: sqlite3.Connection | None = None  # an in-memory copy of the built database
    postgres: str | None = None  # or the name of the template database holding it


_built: Built | None = None
_copies = 0


def _build(media: Path) -> str:
    """One `build_demo`, in one transaction whose on-commit callbacks (~280: search indexing and
    generation bumps queued for tasks that never run) are dropped, as the rolled-back per-module
    builds before this one dropped them: run, they cost ~14 s of CPU of the build's ~22."""
    out = io.StringIO()
    with override_settings(MEDIA_ROOT=media, TASKS=NO_TASK_WORKER):
        cache.clear()
        with transaction.atomic():
            call_command("build_demo", stdout=out)
            connection.run_on_commit.clear()
        cache.clear()
    return out.getvalue()


def _sqlite_copy() -> sqlite3.Connection:
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:")
    connection.connection.backup(copy)
    return copy


def _sqlite_put_back(copy: sqlite3.Connection) -> None:
    connection.ensure_connection()
    copy.backup(connection.connection)


def _postgres_admin() -> Any:
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres", user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432, autocommit=True,
    )  # fmt: skip


def _postgres_create(name: str, *, template: str) -> None:
    """CREATE DATABASE name TEMPLATE template; the template may have no other connection, so a
    connection another thread of this run left open on it (and no longer uses) is closed."""
    connection.close()
    with _postgres_admin() as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [template],
        )
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _postgres_drop(name: str) -> None:
    with _postgres_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _connected_to(name: str) -> Iterator[None]:
    """The test connection (and settings.DATABASES, the same dict) names another database."""
    test_database = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_database


def built(tmp_path_factory: Any) -> Built:
    """The session's demo, built by the first caller."""
    global _built
    if _built is None:
        media: Path = tmp_path_factory.mktemp("demo-media-built")
        if connection.vendor == "sqlite":
            before = _sqlite_copy()
            output = _build(media)
            _built = Built(output, media, sqlite=_sqlite_copy())
            _sqlite_put_back(before)
            before.close()
        else:
            template = f"{connection.settings_dict['NAME']}_demo"
            _postgres_drop(template)
            _postgres_create(template, template=connection.settings_dict["NAME"])
            with _connected_to(template):
                output = _build(media)
            _built = Built(output, media, postgres=template)
    return _built


@contextmanager
def demo_copy(tmp_path_factory: Any) -> Iterator[Built]:
    """The test database and MEDIA_ROOT hold a fresh copy of the demo until the block ends."""
    global _copies
    demo = built(tmp_path_factory)
    media: Path = tmp_path_factory.mktemp("demo-media")
    shutil.copytree(demo.media, media, dirs_exist_ok=True)
    with override_settings(MEDIA_ROOT=media):
        if demo.sqlite is not None:
            before = _sqlite_copy()
            _sqlite_put_back(demo.sqlite)
            cache.clear()
            try:
                yield demo
            finally:
                _sqlite_put_back(before)
                before.close()
                cache.clear()
        else:
            assert demo.postgres is not None
            _copies += 1
            name = f"{demo.postgres}_{_copies}"
            _postgres_create(name, template=demo.postgres)
            try:
                with _connected_to(name):
                    cache.clear()
                    yield demo
            finally:
                cache.clear()
                _postgres_drop(name)


def drop() -> None:
    """At the end of the session: the PostgreSQL template goes (the photos go with pytest's tmp)."""
    global _built
    if _built is not None:
        if _built.sqlite is not None:
            _built.sqlite.close()
        if _built.postgres is not None:
            _postgres_drop(_built.postgres)
    _built = None


def demo_fixture() -> Any:
    """A module-scoped fixture: the demo's first `build_demo` output; MEDIA_ROOT is its photos."""

    @pytest.fixture(scope="module")
    def demo(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[str]:
        with django_db_blocker.unblock(), demo_copy(tmp_path_factory) as copy:
            yield copy.output

    return demo
