"""Redis and PostgreSQL servers of the test's own, on free loopback ports, that a test may kill.

Never the shared servers on :6379 and :5432: stopping those would break every other test. Each
server lives in a temporary folder and is stopped (and its folder left for pytest to remove)
when the test ends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.live.harness import free_port

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _postgres_bin() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return versions[-1].parent if versions else None


def available() -> str:
    """Why these servers cannot run here ('' when they can)."""
    if not Path(REDIS_SERVER).exists():
        return "redis-server is not installed"
    if _postgres_bin() is None:
        return "PostgreSQL's initdb is not installed"
    return ""


class RedisServer:
    """A redis-server process; `durable` gives it an append-only file fsynced on every write."""

    def __init__(self, tmp: Path, *, durable: bool, maxmemory: str = "", policy: str = "noeviction") -> None:
        self.dir = tmp / f"redis-{free_port()}"
        self.dir.mkdir(parents=True)
        self.port = free_port()
        self.durable = durable
        self.maxmemory = maxmemory
        self.policy = policy
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.dir),
                "--save", "", "--maxmemory-policy", self.policy, "--protected-mode", "no"]  # fmt: skip
        if self.durable:
            args += ["--appendonly", "yes", "--appendfsync", "always"]
        else:
            args += ["--appendonly", "no"]
        if self.maxmemory:
            args += ["--maxmemory", self.maxmemory]
        log = (self.dir / "redis.log").open("ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 10) -> None:
        import redis

        deadline = time.monotonic() + timeout
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"redis on :{self.port} did not start") from None
                time.sleep(0.05)

    def kill(self) -> None:
        """Stop it the hard way (kill -9): what a crash or an OOM kill does."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        self.kill()


class PostgresServer:
    """A PostgreSQL cluster of its own (initdb), started and stopped with pg_ctl."""

    def __init__(self, tmp: Path) -> None:
        bin_dir = _postgres_bin()
        assert bin_dir is not None
        self.bin = bin_dir
        # Not under pytest's folder (0700, root's): the server runs as postgres and must reach it.
        self.dir = Path(tempfile.mkdtemp(prefix="masthead-faults-pg-"))
        self.dir.chmod(0o755)
        self.port = free_port()
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            # initdb refuses to run as root: the cluster belongs to the postgres user.
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                   "--no-sync", "-E", "UTF8"])  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.dir}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
            )
        self.start()

    def _run(self, args: list[str]) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self) -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "pg.log"),
                   "-w", "-t", "60", "start"])  # fmt: skip

    def stop(self) -> None:
        """Stop at once, dropping every connection (`-m immediate`: what a crash looks like)."""
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"])

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
