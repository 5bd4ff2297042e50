"""gunicorn under test: started on 127.0.0.1, waited for, measured (peak RSS), always stopped."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.loopback import fetch


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WorkerModel:
    workers: int
    threads: int
    # Load the application once in the master and fork: workers share its code and data pages.
    preload: bool = True

    @property
    def worker_class(self) -> str:
        return "gthread" if self.threads > 1 else "sync"

    # "gunicorn" (deploy/gunicorn.conf.py, as production runs it) or "granian" (a Rust HTTP server
    # in front of the same WSGI application), chosen with BENCH_SERVER.
    server: str = "gunicorn"

    def describe(self) -> str:
        if self.server == "granian":
            return f"granian wsgi: {self.workers} workers x {self.threads} blocking threads"
        preload = ", --preload" if self.preload else ""
        return f"gunicorn {self.worker_class}: {self.workers} workers x {self.threads} threads{preload}"


class Gunicorn:
    def __init__(self, *, root: Path, env: dict[str, str], model: WorkerModel, port: int, log_path: Path):
        self.root, self.env, self.model, self.port, self.log_path = root, env, model, port, log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.model.server == "granian":
            if importlib.util.find_spec("granian") is None:
                # Tried, not adopted (docs/performance.md): not a dependency of the project.
                raise RuntimeError("BENCH_SERVER=granian needs granian: .venv/bin/pip install granian")
            command = [
                sys.executable, "-m", "granian", "--interface", "wsgi",
                "--host", "127.0.0.1", "--port", str(self.port),
                "--workers", str(self.model.workers),
                "--blocking-threads", str(self.model.threads),
                "--backlog", "2048", "--no-ws", "--log-level", "warning",
                "config.wsgi:application",
            ]  # fmt: skip
            with self.log_path.open("ab") as log:  # the child keeps its own copy of the descriptor
                self.process = subprocess.Popen(
                    command, cwd=self.root, env=self.env, start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=log,
                )  # fmt: skip
            return
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi:application",
            # Production's file: gc.freeze() before each fork, the proxy's client address.
            "--config", str(self.root / "deploy" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.model.workers),
            "--worker-class", self.model.worker_class,
            "--threads", str(self.model.threads),
            "--backlog", "2048",
            "--keep-alive", "5",
            "--worker-tmp-dir", "/dev/shm" if Path("/dev/shm").is_dir() else "/tmp",
            "--log-level", "warning",
            "--error-logfile", str(self.log_path),
        ]  # fmt: skip
        if self.model.preload:
            command.append("--preload")
        # Its own session, so stop() can end the master and every worker it forked.
        self.process = subprocess.Popen(
            command, cwd=self.root, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def wait_ready(self, path: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited early; see {self.log_path}:\n{self.log_tail()}")
            try:
                status, _, _ = fetch(self.base_url, path, timeout=5)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as exc:
                last = str(exc)
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn not ready after {timeout:.0f}s ({last}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # Field 4 (after the parenthesised command name) is the parent pid.
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            if parent == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def peak_rss_mb(self) -> list[float]:
        """VmHWM (peak resident set) of each worker, in MB."""
        return [mb for mb in map(peak_rss_mb, self.worker_pids()) if mb is not None]

    def rss_mb(self) -> list[float]:
        """VmRSS (resident set now) of each worker, in MB. The peak can be a passing moment: one
        sign-in's Argon2 hash holds 19 MiB while it runs (the bench signs its readers in)."""
        return [mb for mb in map(rss_now_mb, self.worker_pids()) if mb is not None]

    def pss_mb(self) -> list[float]:
        """Proportional set size of each worker now, in MB: pages shared with the master and the
        other workers (the preloaded application) count once, split between them."""
        return [mb for mb in map(pss_mb, self.worker_pids()) if mb is not None]

    def worker_cpu_seconds(self) -> float:
        """User + system CPU the workers have used so far (every thread of each), in seconds."""
        return sum(cpu_seconds(pid) for pid in self.worker_pids())

    def stop(self) -> None:
        stop_group(self.process, timeout=15)


def _proc_field_mb(pid: int, file: str, field: str) -> float | None:
    """A `field:  N kB` line of /proc/<pid>/<file>, in MB (None if the process is gone)."""
    try:
        text = Path(f"/proc/{pid}/{file}").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def peak_rss_mb(pid: int) -> float | None:
    return _proc_field_mb(pid, "status", "VmHWM:")


def rss_now_mb(pid: int) -> float | None:
    return _proc_field_mb(pid, "status", "VmRSS:")


def pss_mb(pid: int) -> float | None:
    return _proc_field_mb(pid, "smaps_rollup", "Pss:")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (all its threads) so far, in seconds; 0 if it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields 14 and 15 of stat (utime, stime); the list starts at field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_group(process: subprocess.Popen[Any] | None, *, timeout: float) -> None:
    """SIGTERM to the server's process group, SIGKILL if it has not gone within `timeout`."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
    except ProcessLookupError:
        pass
