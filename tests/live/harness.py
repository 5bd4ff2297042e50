"""A real deployment for black-box tests: two gunicorn "hosts" on one database and shared cache.

Host A runs 2 gthread workers, host B a third worker on another port (a second app server
behind the same load balancer). Both run `config.settings.dev` — the `make demo` settings —
against either the embedded configuration (a SQLite file, no Redis: the cache is the database
table) or PostgreSQL + Redis (Redis cache and Redis meter store). Edits come from a separate
editor process (tests/live/editor.py) or from the real Wagtail admin over HTTP; readers are
plain HTTP clients with no cookie jar unless a test gives them one. Every request names itself
in a header that the access log echoes with the worker's pid, so a test can say which workers
answered.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import requests

from tests import migrated

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG_SERVER = os.environ.get("LIVE_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/14")
PROBE_HEADER = "X-Live-Probe"
ACCESS_LOG_FORMAT = "%(p)s %({x-live-probe}i)s %(s)s %(U)s"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_reachable() -> bool:
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=3).close()
    except Exception:
        return False
    return True


def redis_reachable() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception:
        return False
    return True


@dataclass
class Configuration:
    name: str
    database_url: str
    env: dict[str, str]
    drop: Any = None  # called at the end to remove what it created
    # Already at the current schema (a copy of the session's migrated template, tests/migrated.py);
    # otherwise deployment() runs `manage.py migrate` on it, as a deploy does.
    migrated: bool = False


def embedded(tmp: Path) -> Configuration:
    path = tmp / "live.sqlite3"
    migrated.sqlite_copy(path)
    return Configuration("embedded", f"sqlite:///{path}", {}, migrated=True)


def postgres_redis(tmp: Path) -> Configuration:
    import psycopg
    import redis

    name = f"masthead_live_{secrets.token_hex(4)}"
    migrated.postgres_copy(PG_SERVER, name)
    redis.Redis.from_url(REDIS_URL).flushdb()

    def drop() -> None:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        redis.Redis.from_url(REDIS_URL).flushdb()

    env = {"REDIS_URL": REDIS_URL, "MASTHEAD_METER_STORE": "redis"}
    return Configuration("postgres-redis", f"{PG_SERVER}/{name}", env, drop, migrated=True)


def server_env(config: Configuration, tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_", "REDIS_URL"))
    }
    env.update(
        # LIVE_SETTINGS lets a developer point the harness at other settings (e.g. to see it catch
        # a per-process cache); the suite always runs the `make demo` settings.
        DJANGO_SETTINGS_MODULE=os.environ.get("LIVE_SETTINGS", "config.settings.dev"),
        DATABASE_URL=config.database_url,
        MASTHEAD_VAR_DIR=str(tmp),
        MASTHEAD_PAGE_CACHE_SECONDS="60",
        PYTHONPATH=os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("LIVE_PYTHONPATH")])]),
        PYTHONDONTWRITEBYTECODE="1",
        **config.env,
    )
    return env


class Editor:
    """The editor process: edits made outside the test process and outside every worker."""

    def __init__(self, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "tests.live.editor"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._read()

    def _read(self) -> Any:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the editor process died")
        return json.loads(line)

    def __call__(self, edit: str, **args: Any) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"edit": edit, "args": args}) + "\n")
        self.process.stdin.flush()
        reply = self._read()
        if "error" in reply:
            raise AssertionError(f"edit {edit} failed in the editor process:\n{reply['error']}")
        return reply["ok"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Host:
    name: str
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path


def copy_of_test_database(tmp: Path) -> str:
    """A URL a server process can open that holds what the calling test committed: a file copy of
    SQLite's in-memory test database, or the PostgreSQL test database itself."""
    import sqlite3

    from django.conf import settings
    from django.db import connection

    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp / "live-copy.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def worker_pids(host: Host) -> set[str]:
    """The pids of the workers that answered so far (the first field of each access-log line)."""
    lines = host.log.read_text().splitlines() if host.log.exists() else []
    return {line.split()[0] for line in lines if line.strip()}


@dataclass
class Reply:
    status: int
    body: str
    host: str
    probe: str
    headers: dict[str, str] = field(default_factory=dict)

    def shows(self, text: str) -> bool:
        return text in self.body


@contextmanager
def gunicorn(
    name: str,
    env: dict[str, str],
    tmp: Path,
    *,
    workers: int,
    threads: int = 4,
    ready_path: str = "/robots.txt",
    worker_class: str = "gthread",
) -> Iterator[Host]:
    """A gunicorn "host" with its own port and access log; every live test starts servers here.

    The application is loaded once and forked (`--preload`), as deploy/gunicorn.conf.py and `make
    demo` serve it: each worker then costs a fork, not another import of Django and Wagtail."""
    port = free_port()
    log = tmp / f"{name}-access.log"
    errors = (tmp / f"{name}-error.log").open("w")
    process = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--threads", str(threads), "--worker-class", worker_class,
         "--timeout", "120", "--preload",
         "--access-logfile", str(log), "--access-logformat", ACCESS_LOG_FORMAT],
        cwd=ROOT, env=env, stdout=errors, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if requests.get(f"{base}{ready_path}", timeout=5).status_code < 500:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{name} did not start:\n" + (tmp / f"{name}-error.log").read_text()[-3000:]
                )
            time.sleep(0.3)
        yield Host(name, base, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        errors.close()


class FormReader(HTMLParser):
    """The fields of the forms on a page, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": {}})  # fmt: skip
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            fields.setdefault(a["name"], "")
        elif tag == "option" and self._select:
            if "selected" in a or not fields.get(self._select):
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def post_forms(html: str) -> list[dict[str, Any]]:
    reader = FormReader()
    reader.feed(html)
    return [form for form in reader.forms if form["method"] == "post"]


class AdminClient:
    """An editor in the real Wagtail admin, over HTTP, with a cookie jar like a browser."""

    def __init__(self, host: Host, *, email: str, password: str) -> None:
        self.base = host.base_url
        self.session = requests.Session()
        page = self.session.get(f"{self.base}/admin/login/", timeout=30)
        form = post_forms(page.text)[0]
        fields = {**form["fields"], "username": email, "password": password}
        done = self.session.post(f"{self.base}/admin/login/", data=fields, timeout=60,
                                 headers={"Referer": f"{self.base}/admin/login/"})  # fmt: skip
        if "/admin/login/" in done.url:
            raise AssertionError(f"the editor could not sign in to the admin: {done.status_code}")

    def submit(self, path: str, *, changes: dict[str, Any], form_index: int = -1, html: str | None = None,
               action: str | None = None) -> requests.Response:  # fmt: skip
        """Open an admin page, fill its form as the editor would, and submit it."""
        url = f"{self.base}{path}"
        if html is None:
            shown = self.session.get(url, timeout=30)
            assert shown.status_code == 200, f"{path}: {shown.status_code}"
            html = shown.text
        form = post_forms(html)[form_index]
        fields = {**form["fields"], **changes}
        target = urllib.parse.urljoin(url, action or form["action"] or url)
        response = self.session.post(target, data=fields, timeout=60, headers={"Referer": url})
        assert response.status_code in (200, 302), f"{path}: {response.status_code}"
        assert "error-message" not in response.text and "errorlist" not in response.text, (
            f"{path}: the admin refused the form:\n{_errors(response.text)}"
        )
        return response

    def privacy_modal(self, page_id: int) -> str:
        shown = self.session.get(f"{self.base}/admin/pages/{page_id}/privacy/", timeout=30)
        return str(shown.json()["html"])


def _errors(html: str) -> str:
    return "\n".join(re.findall(r'class="(?:error-message|errorlist)[^"]*"[^>]*>(.*?)</', html, re.S))[:2000]


@dataclass
class Deployment:
    config: Configuration
    hosts: list[Host]
    editor: Editor
    data: dict[str, Any]
    password: str

    def read(self, path: str, *, n: int = 20, cookie: str = "") -> list[Reply]:
        """`n` fresh requests at once, each on its own connection, spread over both hosts."""

        def one(i: int) -> Reply:
            host = self.hosts[i % len(self.hosts)]
            probe = secrets.token_hex(6)
            headers = {PROBE_HEADER: probe, "Connection": "close"}
            if cookie:
                headers["Cookie"] = cookie
            r = requests.get(host.base_url + path, headers=headers, allow_redirects=False, timeout=60)
            return Reply(r.status_code, r.text, host.name, probe, dict(r.headers))

        with ThreadPoolExecutor(max_workers=min(n, 10)) as pool:
            return list(pool.map(one, range(n)))

    def workers_that_answered(self, replies: list[Reply]) -> set[str]:
        """Which worker pids (host:pid) served these replies, from the access logs."""
        wanted = {r.probe for r in replies}
        seen: set[str] = set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            seen.clear()
            found = set()
            for host in self.hosts:
                for line in host.log.read_text().splitlines() if host.log.exists() else []:
                    parts = line.split()
                    if len(parts) >= 2 and parts[1] in wanted:
                        seen.add(f"{host.name}:{parts[0]}")
                        found.add(parts[1])
            if found == wanted:
                break
            time.sleep(0.1)
        return seen

    def sign_in(self, email: str) -> str:
        """A reader signs in on the site (allauth, host A); returns the Cookie header to send."""
        session = requests.Session()
        base = self.hosts[0].base_url
        page = session.get(f"{base}/accounts/login/", timeout=30)
        form = next(f for f in post_forms(page.text) if "login" in f["fields"])
        fields = {**form["fields"], "login": email, "password": self.password}
        done = session.post(f"{base}/accounts/login/", data=fields, timeout=60, allow_redirects=False,
                            headers={"Referer": f"{base}/accounts/login/"})  # fmt: skip
        assert done.status_code == 302, f"{email} could not sign in: {done.status_code}"
        return "; ".join(f"{c.name}={c.value}" for c in session.cookies)

    def admin(self) -> AdminClient:
        from tests.live.edits import STAFF_EMAIL

        return AdminClient(self.hosts[0], email=STAFF_EMAIL, password=self.password)


def migrate(env: dict[str, str]) -> None:
    """Bring the configuration's database to the current schema, as a deploy does."""
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
        capture_output=True, timeout=900,
    )  # fmt: skip


@contextmanager
def deployment(config: Configuration, tmp: Path) -> Iterator[Deployment]:
    env = server_env(config, tmp)
    if not config.migrated:
        migrate(env)
    editor = Editor(env)
    password = secrets.token_urlsafe(12)
    try:
        data = editor("setup", password=password)
        with gunicorn("host-a", env, tmp, workers=2) as a, gunicorn("host-b", env, tmp, workers=1) as b:
            yield Deployment(config, [a, b], editor, data, password)
    finally:
        editor.close()
        if config.drop:
            config.drop()
