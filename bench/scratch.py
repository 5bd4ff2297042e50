"""A scratch publication for the benchmarks that time whole commands (imports, a newsletter send).

`scratch_site(name)` makes a fresh database in a temporary directory (SQLite, or PostgreSQL at
BENCH_PG_URL when BENCH_DATABASE=postgres), migrates it, and drops it afterwards. `site.run(...)`
runs one `manage.py` command against it as an operator would, and reports its output, exit code,
wall time and peak RSS (getrusage of the child).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass(frozen=True)
class Finished:
    output: str
    exit_code: int
    seconds: float
    peak_rss_mb: float


def passes(done: Finished, *, count: int, per_second: str) -> dict[str, Any] | None:
    """The JSON a bench script printed after `RESULT` (one entry per pass, each with its
    `seconds`), with `per_second` (e.g. `posts_per_second`) added to each; None if it failed."""
    if done.exit_code != 0 or "RESULT" not in done.output:
        return None
    found: dict[str, Any] = json.loads(done.output.split("RESULT", 1)[1])
    for entry in found.values():
        entry[per_second] = round(count / entry["seconds"], 1) if entry["seconds"] else None
    return found


@dataclass(frozen=True)
class ScratchSite:
    tmp: Path
    database_url: str

    @property
    def database(self) -> str:
        return self.database_url.split(":", 1)[0]

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DATABASE_URL=self.database_url,
            MASTHEAD_VAR_DIR=str(self.tmp),
            MASTHEAD_DEMO="0",
            MASTHEAD_SITE_URL="https://news.bench.example",
            PYTHONPATH=str(ROOT),
            PYTHONDONTWRITEBYTECODE="1",
            STRIPE_SECRET_KEY="",
            **extra,
        )
        return env

    def run(self, *args: str, **extra_env: str) -> Finished:
        """`manage.py <args>`, timed from start to exit."""
        started = time.perf_counter()
        worker = subprocess.Popen(
            [PYTHON, "manage.py", *args],
            cwd=ROOT, env=self.env(**extra_env), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
        assert worker.stdout is not None
        output = worker.stdout.read()
        _pid, status, usage = os.wait4(worker.pid, 0)
        return Finished(
            output=output,
            exit_code=os.waitstatus_to_exitcode(status),
            seconds=time.perf_counter() - started,
            peak_rss_mb=round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
        )


@contextmanager
def scratch_site(name: str) -> Iterator[ScratchSite]:
    with tempfile.TemporaryDirectory(prefix=f"masthead-{name}-") as tmp_name:
        tmp = Path(tmp_name)
        url, drop = _database(tmp, name)
        try:
            site = ScratchSite(tmp, url)
            subprocess.run(
                [PYTHON, "manage.py", "migrate", "--noinput", "--skip-checks"],
                cwd=ROOT, env=site.env(), check=True, capture_output=True, timeout=1800,
            )  # fmt: skip
            yield site
        finally:
            drop()


def _database(tmp: Path, name: str) -> tuple[str, Callable[[], None]]:
    if os.environ.get("BENCH_DATABASE", "sqlite") == "postgres":
        import psycopg

        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
        database = f"masthead_{name}_{secrets.token_hex(4)}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')

        def drop() -> None:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

        return f"{server}/{database}", drop
    return f"sqlite:///{tmp / 'bench.sqlite3'}", lambda: None
