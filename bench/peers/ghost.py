"""Ghost 5.130 as a peer in `make bench` (BENCH_PEERS=ghost): installed from the npm registry into
var/peers/ghost (gitignored; nothing of Ghost is committed), run in production mode on SQLite on
127.0.0.1, with one public post of the same length as Masthead's bench article.

How it is installed, the way Ghost-CLI does it but with npm: `npm pack ghost@VERSION`, unpacked to
var/peers/ghost/VERSION, then `npm install --omit=dev` inside it. Ghost's package.json is made for
yarn, so three things are changed in the unpacked copy: its yarn `resolutions` become npm
`overrides`, its devDependencies are dropped (some point at GitHub, which npm would still resolve
and this machine cannot reach), and peer ranges are not enforced (`--legacy-peer-deps`, as yarn
does not: bookshelf 1.2 names an older knex). The sqlite3 module is built from source by node-gyp
against the local Node's headers (`npm_config_nodedir`, /usr/include/node) since its prebuilt
binary would come from GitHub. The install is done once and kept; a marker file says it finished.

How it is run (like a small Ghost-CLI install): a fresh run directory per bench run with
a `current` link to the application (as Ghost-CLI makes), config.production.json (url and server
on 127.0.0.1:PORT, SQLite file, mail by the stub transport so nothing is sent, update check and
Gravatar off, logging at warn like Masthead's gunicorn, which writes no access log) and a content
folder whose themes link to the ones Ghost ships.

The post: created through Ghost's Admin API (`POST /ghost/api/admin/posts/?source=html`) with a
JWT signed by the admin key of Ghost's built-in Zapier integration, read from its own database.

Knobs: BENCH_GHOST_VERSION (5.130.6), BENCH_GHOST_DIR (var/peers/ghost), BENCH_GHOST_BOOT_SECONDS
(300: first boot migrates a new database), BENCH_GHOST_INSTALL_SECONDS (1800).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.loopback import fetch
from bench.server import cpu_seconds, peak_rss_mb, pss_mb, stop_group

ROOT = Path(__file__).resolve().parents[2]
VERSION = os.environ.get("BENCH_GHOST_VERSION", "5.130.6")
BASE_DIR = Path(os.environ.get("BENCH_GHOST_DIR", str(ROOT / "var" / "peers" / "ghost")))
NODE_MAJORS = (18, 20, 22)  # Ghost 5.130's engines: ^18.12.1 || ^20.11.1 || ^22.13.1
MARKER = ".masthead-installed"


class PeerUnavailable(Exception):
    """Ghost could not be installed, started or given its post; the bench goes on without it."""


def _run(command: list[str], *, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> str:
    try:
        done = subprocess.run(
            command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True,
            timeout=timeout, check=False,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise PeerUnavailable(f"{' '.join(command[:3])}: {exc}") from exc
    if done.returncode != 0:
        output = (done.stderr or done.stdout)[-800:]
        raise PeerUnavailable(f"{' '.join(command[:3])} exited {done.returncode}: {output}")
    return done.stdout


def node_version() -> str:
    node = shutil.which("node")
    if node is None or shutil.which("npm") is None:
        raise PeerUnavailable("Ghost needs Node.js and npm (Debian: nodejs, npm)")
    version = _run([node, "--version"], cwd=ROOT, timeout=30).strip()
    major = int(version.lstrip("v").split(".")[0])
    if major not in NODE_MAJORS:
        wanted = "/".join(map(str, NODE_MAJORS))
        raise PeerUnavailable(f"Ghost {VERSION} runs on Node {wanted}, not {version}")
    return version


def _npm_env() -> dict[str, str]:
    """node-gyp builds against the installed Node's headers instead of downloading them."""
    env = {"npm_config_update_notifier": "false", "npm_config_fund": "false", "npm_config_audit": "false"}
    for nodedir in ("/usr", "/usr/local"):
        if Path(nodedir, "include", "node", "common.gypi").is_file():
            env["npm_config_nodedir"] = nodedir
            break
    return env


def _adapt_package_json(app: Path) -> None:
    path = app / "package.json"
    package = json.loads(path.read_text())
    package.pop("devDependencies", None)
    resolutions = package.get("resolutions") or {}
    package["overrides"] = {name: spec for name, spec in resolutions.items() if not spec.startswith("file:")}
    path.write_text(json.dumps(package, indent=2) + "\n")


def installed(base: Path = BASE_DIR, version: str = VERSION) -> Path | None:
    app = base / version
    return app if (app / MARKER).is_file() else None


def install(say: Callable[[str], None], base: Path = BASE_DIR, version: str = VERSION) -> Path:
    """Ghost's application folder, installing it first if an earlier run did not finish it."""
    node = node_version()
    app = installed(base, version)
    if app is not None:
        say(f"ghost {version}: installed in {app} (Node {node})")
        return app
    app = base / version
    base.mkdir(parents=True, exist_ok=True)
    say(f"ghost {version}: npm pack ghost@{version} (from the npm registry)")
    tarball = base / _run(["npm", "pack", f"ghost@{version}", "--silent"], cwd=base, timeout=600).split()[-1]
    shutil.rmtree(app, ignore_errors=True)
    app.mkdir()
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            member.name = member.name.split("/", 1)[1] if "/" in member.name else ""
        archive.extractall(app, members=[m for m in archive.getmembers() if m.name], filter="data")
    tarball.unlink()
    _adapt_package_json(app)
    seconds = float(os.environ.get("BENCH_GHOST_INSTALL_SECONDS", "1800"))
    say(f"ghost {version}: npm install --omit=dev in {app} (sqlite3 built by node-gyp; minutes)")
    _run(
        ["npm", "install", "--omit=dev", "--legacy-peer-deps", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=app, timeout=seconds, env=_npm_env(),
    )  # fmt: skip
    _run(["node", "-e", "require('sqlite3'); require('./package.json')"], cwd=app, timeout=60)
    finished = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (app / MARKER).write_text(f"ghost {version} on Node {node}, {finished}\n")
    return app


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def admin_token(key_id: str, secret_hex: str, now: float | None = None) -> str:
    """The JWT Ghost's Admin API takes: HS256 with the key's hex secret, audience /admin/."""
    issued = int(now if now is not None else time.time())
    header = {"alg": "HS256", "typ": "JWT", "kid": key_id}
    payload = {"iat": issued, "exp": issued + 300, "aud": "/admin/"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    signature = hmac.new(bytes.fromhex(secret_hex), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


class Ghost:
    """One Ghost process on 127.0.0.1:port, its own run directory and SQLite database."""

    def __init__(self, *, app: Path, rundir: Path, port: int):
        self.app, self.rundir, self.port = app, rundir, port
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path = rundir / "ghost.log"
        self.database = rundir / "content" / "data" / "ghost.db"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def version(self) -> str:
        return str(json.loads((self.app / "package.json").read_text())["version"])

    def configure(self) -> None:
        # As Ghost-CLI lays it out: Ghost finds its package.json through `current` in its cwd.
        current = self.rundir / "current"
        if not current.exists():
            current.symlink_to(self.app, target_is_directory=True)
        content = self.rundir / "content"
        folders = ("data", "images", "logs", "settings", "themes", "adapters", "public", "files", "media")
        for folder in folders:
            (content / folder).mkdir(parents=True, exist_ok=True)
        for theme in (self.app / "content" / "themes").iterdir():
            link = content / "themes" / theme.name
            if not link.exists():
                link.symlink_to(theme, target_is_directory=True)
        config = {
            "url": self.base_url,
            "server": {"host": "127.0.0.1", "port": self.port},
            "database": {
                "client": "sqlite3",
                "connection": {"filename": str(self.database)},
                "useNullAsDefault": True,
                "debug": False,
            },
            "paths": {"contentPath": str(content)},
            "mail": {"transport": "stub", "from": "bench@example.com"},
            "logging": {"level": "warn", "transports": ["stdout"]},
            "privacy": {"useUpdateCheck": False, "useGravatar": False, "useRpcPing": False},
            "security": {"staffDeviceVerification": False},
            "process": "local",
        }
        (self.rundir / "config.production.json").write_text(json.dumps(config, indent=2) + "\n")

    def start(self) -> None:
        self.rundir.mkdir(parents=True, exist_ok=True)
        self.configure()
        log = self.log_path.open("ab")
        # Its own session, so stop() ends it and anything it started.
        self.process = subprocess.Popen(
            ["node", "current/index.js"], cwd=self.rundir,
            env={**os.environ, "NODE_ENV": "production"}, start_new_session=True,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_ready(self, timeout: float | None = None) -> float:
        """Seconds until the front page answers 200 (the first boot migrates a new database)."""
        timeout = timeout or float(os.environ.get("BENCH_GHOST_BOOT_SECONDS", "300"))
        started = time.monotonic()
        last = "no answer"
        while time.monotonic() - started < timeout:
            if self.process is None or self.process.poll() is not None:
                raise PeerUnavailable(f"Ghost exited early; see {self.log_path}:\n{self.log_tail()}")
            try:
                status, _, _ = fetch(self.base_url, "/", timeout=10)
                if status == 200:
                    return time.monotonic() - started
                last = f"HTTP {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(1)
        raise PeerUnavailable(f"Ghost not ready after {timeout:.0f}s ({last}):\n{self.log_tail()}")

    def _admin_key(self) -> tuple[str, str]:
        with contextlib.closing(sqlite3.connect(self.database, timeout=30)) as connection:
            row = connection.execute(
                "SELECT k.id, k.secret FROM api_keys k JOIN integrations i ON i.id = k.integration_id "
                "WHERE i.slug = 'zapier' AND k.type = 'admin'"
            ).fetchone()
        if row is None:
            raise PeerUnavailable("Ghost's database has no admin key for its Zapier integration")
        return row[0], row[1]

    def create_post(self, *, title: str, excerpt: str, html: str) -> str:
        """Publishes a public post; returns its path (/slug/)."""
        key_id, secret = self._admin_key()
        post = {"title": title, "html": html, "custom_excerpt": excerpt[:300], "status": "published"}
        body = json.dumps({"posts": [{**post, "visibility": "public"}]}).encode()
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Ghost {admin_token(key_id, secret)}",
        }
        status, _, text = fetch(
            self.base_url,
            "/ghost/api/admin/posts/?source=html",
            method="POST",
            body=body,
            headers=headers,
            timeout=60,
        )
        if status != 201:
            raise PeerUnavailable(f"Ghost's Admin API answered {status} to the new post: {text[:400]}")
        post = json.loads(text)["posts"][0]
        match = re.match(r"https?://[^/]+(/.*)$", post.get("url") or "")
        return match.group(1) if match else f"/{post['slug']}/"

    def pid(self) -> int | None:
        return self.process.pid if self.process is not None and self.process.poll() is None else None

    def worker_cpu_seconds(self) -> float:
        """User + system CPU of the Ghost process (all its threads), in seconds."""
        pid = self.pid()
        return 0.0 if pid is None else cpu_seconds(pid)

    def memory_mb(self) -> dict[str, Any]:
        """Peak RSS (VmHWM) and PSS now of the one Ghost process, in MB."""
        pid = self.pid()
        if pid is None:
            return {"peak_rss_mb": None, "pss_mb": None}
        return {"peak_rss_mb": peak_rss_mb(pid), "pss_mb": pss_mb(pid)}

    def stop(self) -> None:
        stop_group(self.process, timeout=20)
