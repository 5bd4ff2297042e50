"""A real gunicorn with two workers serving a copy of the test database, for the sign-in gate's
cross-worker test. Its access log names the worker (pid) that answered each request, so a test
can show that both workers took part."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(tmp: Path) -> str:
    """A URL the server can open holding what the test committed (a file copy of SQLite's
    in-memory test database, or the PostgreSQL test database itself)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp / "signin.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@dataclass
class LiveServer:
    base_url: str
    access_log: Path

    def worker_pids(self) -> set[str]:
        lines = self.access_log.read_text().splitlines()
        return {line.split()[0] for line in lines if line.strip()}


@contextmanager
def serve(tmp: Path, *, workers: int = 2) -> Iterator[LiveServer]:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_", "REDIS_URL"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(tmp),
        "MASTHEAD_VAR_DIR": str(tmp),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    gunicorn = Path(sys.executable).with_name("gunicorn")
    access_log = tmp / "access.log"
    log = (tmp / "server.log").open("w")
    # Sync workers take one request at a time, so overlapping requests must be shared out.
    process = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--timeout", "60",
         "--access-logfile", str(access_log), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/accounts/login/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (tmp / "server.log").read_text()[-3000:]
                raise RuntimeError(f"the live server did not start:\n{tail}")
            time.sleep(0.2)
        yield LiveServer(base_url=base, access_log=access_log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
