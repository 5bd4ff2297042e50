"""Drive one scenario with wrk and read its report: requests/s, p50/p99, errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

LUA_DIR = Path(__file__).resolve().parent / "lua"

_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
_TIME = r"([\d.]+)(us|ms|s|m|h)"


@dataclass
class WrkResult:
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int = 0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    notes: dict[str, str] = field(default_factory=dict)


def find_wrk() -> str | None:
    return shutil.which("wrk") or ("/usr/bin/wrk" if Path("/usr/bin/wrk").is_file() else None)


def _ms(value: str, unit: str) -> float:
    return float(value) * _UNIT_MS[unit]


def parse_wrk(output: str) -> WrkResult:
    """Read wrk 4's text report (run with --latency)."""
    rps_match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if not rps_match:
        raise ValueError(f"no Requests/sec line in wrk output:\n{output[-800:]}")
    percentiles = {
        int(pct): _ms(value, unit)
        for pct, value, unit in re.findall(rf"^\s+(50|99)%\s+{_TIME}", output, re.M)
    }
    requests = re.search(r"(\d+) requests in", output)
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    # Lines our Lua scripts print from done(): "bench: key=value".
    notes = dict(re.findall(r"^bench: (\w+)=(\S+)$", output, re.M))
    return WrkResult(
        rps=float(rps_match.group(1)),
        p50_ms=percentiles.get(50),
        p99_ms=percentiles.get(99),
        requests=int(requests.group(1)) if requests else 0,
        non_2xx_3xx=int(non_ok.group(1)) if non_ok else 0,
        # A read error is wrk seeing the server close a kept-alive socket; only count real failures.
        socket_errors=(int(socket.group(1)) + int(socket.group(3)) + int(socket.group(4))) if socket else 0,
        notes=notes,
    )


def run_wrk(
    *,
    url: str,
    seconds: float,
    connections: int,
    threads: int = 2,
    headers: dict[str, str] | None = None,
    script: str | None = None,
    env: dict[str, str] | None = None,
) -> WrkResult:
    wrk = find_wrk()
    if wrk is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    duration = max(1, round(seconds))
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA_DIR / script)]
    command.append(url)
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=duration + 30,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk exited {completed.returncode}: {completed.stderr.strip()[-400:]}")
    return parse_wrk(completed.stdout)


def median_result(results: list[WrkResult]) -> WrkResult:
    """The run with the median req/s (the lower middle for an even count), so the req/s and its
    latencies come from the same run."""
    ordered = sorted(results, key=lambda result: result.rps)
    return ordered[(len(ordered) - 1) // 2]
