"""One real `manage.py migrate` per test session for the tests that start server processes.

The first caller of each kind runs `manage.py migrate` in its own process, as a deploy does, into a
template (a SQLite file, or a PostgreSQL database on that server); every caller then gets a fresh
copy of it (the sqlite3 backup API, or CREATE DATABASE ... TEMPLATE), as isolated as its own migrate
run was. A migrate run costs ~15 s of CPU; a copy costs well under one. The session fixture in
tests/conftest.py removes the templates when the run ends.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable

_folder: Path | None = None
_sqlite_template: Path | None = None
_postgres_templates: dict[str, str] = {}  # server URL -> template database name


def _session_folder() -> Path:
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="masthead-migrated-"))
    return _folder


def _migrate(database_url: str) -> None:
    """`manage.py migrate` on the `make demo` settings, in a process of its own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=database_url,
        MASTHEAD_VAR_DIR=str(_session_folder()),
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
    )
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
        capture_output=True, timeout=900,
    )  # fmt: skip


def sqlite_copy(target: Path) -> None:
    """Write a migrated SQLite database to `target` (which must not hold one yet)."""
    global _sqlite_template
    if _sqlite_template is None:
        path = _session_folder() / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        _sqlite_template = path
    # The backup API copies what the WAL holds too, and leaves the copy in the template's mode.
    source = sqlite3.connect(_sqlite_template)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def postgres_copy(server: str, name: str, *, replace: bool = False) -> None:
    """Create database `name` on `server` as a migrated copy; `replace` drops an existing one first."""
    import psycopg

    admin = f"{server}/postgres"
    if server not in _postgres_templates:
        template = f"masthead_migrated_{secrets.token_hex(4)}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{template}"')
        _migrate(f"{server}/{template}")
        _postgres_templates[server] = template
    # CREATE DATABASE ... TEMPLATE needs the template to have no other connection: only the
    # migrate process ever opened it, and it has ended.
    with psycopg.connect(admin, autocommit=True) as conn:
        if replace:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{_postgres_templates[server]}"')


def drop_templates() -> None:
    global _folder, _sqlite_template
    if _postgres_templates:
        import psycopg

        for server, template in list(_postgres_templates.items()):
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            del _postgres_templates[server]
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
    _folder = _sqlite_template = None
