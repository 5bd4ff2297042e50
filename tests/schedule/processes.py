"""Real processes against a database of their own: a migrated template per test module (itself a
copy of the session's, tests/migrated.py), copied for each test (SQLite: a file copy; PostgreSQL:
CREATE DATABASE ... TEMPLATE)."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import migrated

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def process_env(database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_", "REDIS_URL"))
    }
    env.update(
        # The `make demo` settings: the database task queue and the shared database cache.
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MASTHEAD_VAR_DIR=str(var_dir),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


@dataclass
class Database:
    url: str
    drop: Callable[[], None]

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        if self.url.startswith("sqlite:///"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=10) as conn:
                return list(conn.execute(sql))
        import psycopg

        with psycopg.connect(self.url) as conn:
            return list(conn.execute(sql))

    def execute(self, sql: str) -> None:
        if self.url.startswith("sqlite:///"):
            conn = sqlite3.connect(self.url.removeprefix("sqlite:///"), timeout=10)
            with conn:
                conn.execute(sql)
            conn.close()
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(sql)

    def runs(self) -> dict[str, int]:
        return dict(self.rows("SELECT name, runs FROM schedule_scheduledjob"))

    def outcomes(self) -> dict[str, str]:
        return {name: f"{outcome}: {summary}" for name, outcome, summary in self.rows(
            "SELECT name, last_outcome, last_summary FROM schedule_scheduledjob")}  # fmt: skip


def migrated_template(tmp: Path) -> Database:
    """A migrated database for a module to build on: a copy of the session's template
    (tests/migrated.py), which one real `manage.py migrate` made."""
    if on_postgres():
        import psycopg

        name = f"masthead_schedule_tpl_{secrets.token_hex(4)}"
        migrated.postgres_copy(PG_SERVER, name)

        def drop() -> None:
            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return Database(f"{PG_SERVER}/{name}", drop)
    path = tmp / "template.sqlite3"
    migrated.sqlite_copy(path)
    return Database(f"sqlite:///{path}", lambda: None)


def copy_of(template: Database, tmp: Path) -> Database:
    if template.url.startswith("sqlite:///"):
        target = tmp / f"site-{secrets.token_hex(4)}.sqlite3"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), target)
        return Database(f"sqlite:///{target}", lambda: target.unlink(missing_ok=True))
    import psycopg

    name = f"masthead_schedule_{secrets.token_hex(4)}"
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.url.rsplit("/", 1)[1]}"')

    def drop() -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return Database(f"{PG_SERVER}/{name}", drop)


def database_fixtures(name: str) -> tuple[Any, Any]:
    """The module's fixtures `template` (a migrated database for the module) and `database` (a
    fresh copy of it for each test); a module takes them with
    `template, database = database_fixtures("…")`."""

    @pytest.fixture(scope="module", name="template")
    def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
        made = migrated_template(tmp_path_factory.mktemp(name))
        yield made
        made.drop()

    @pytest.fixture(name="database")
    def database(template: Database, tmp_path: Path) -> Iterator[Database]:
        copy = copy_of(template, tmp_path)
        yield copy
        copy.drop()

    return template, database


def start_newsroom(database: Database, var_dir: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PYTHON, "manage.py", "run_newsroom", "--tick", "0.5", *args],
        cwd=ROOT, env=process_env(database.url, var_dir), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def stop(
    process: subprocess.Popen[str], *, sig: int = signal.SIGTERM, timeout: float = 30
) -> tuple[int, str]:
    """Send `sig`, wait (bounded) and return (exit code, everything it printed)."""
    if process.poll() is None:
        process.send_signal(sig)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(
            f"did not stop within {timeout} s after {signal.Signals(sig).name}:\n{output}"
        ) from None
    return process.returncode, output
