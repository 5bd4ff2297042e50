"""The scheduler as it really runs: separate processes sharing one database (SQLite file on the
SQLite leg, a PostgreSQL database on the PostgreSQL leg), racing for the same leases, stopped by
SIGTERM and started again, and started by `make demo` beside gunicorn."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.schedule.processes import (
    PYTHON,
    ROOT,
    Database,
    database_fixtures,
    process_env,
    start_newsroom,
    stop,
    wait_for,
)

pytestmark = pytest.mark.live

JOBS = {
    "publish_scheduled", "billing_sweep", "prune_meter", "billing_reconcile", "prune_task_results",
    "newsletters_due",
    "analytics_rollup", "analytics_abandoned", "analytics_prune",
}  # fmt: skip


template, database = database_fixtures("schedule-template")


def test_two_processes_racing_for_the_same_due_jobs_claim_each_exactly_once(
    database: Database, tmp_path: Path
) -> None:
    count = 150
    start_at = f"{time.time() + 8:.3f}"  # both are connected and waiting well before this moment
    racer_env = process_env(database.url, tmp_path)
    racers = [
        subprocess.Popen(
            [PYTHON, "-m", "tests.schedule.race_claims", start_at, str(count)],
            cwd=ROOT,
            env=racer_env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    won = []
    for racer in racers:
        out, err = racer.communicate(timeout=120)
        assert racer.returncode == 0, err[-3000:]
        won.append(set(json.loads(out.strip().splitlines()[-1])))

    assert not won[0] & won[1], f"claimed twice: {sorted(won[0] & won[1])[:5]}"
    assert won[0] | won[1] == {f"race_{i}" for i in range(count)}
    holders = database.rows(
        "SELECT COUNT(DISTINCT claimed_by) FROM schedule_scheduledjob WHERE name LIKE 'race_%'"
    )
    assert holders[0][0] == len([w for w in won if w])


def test_two_newsroom_clocks_run_each_due_job_once(database: Database, tmp_path: Path) -> None:
    clocks = [start_newsroom(database, tmp_path) for _ in range(2)]
    try:
        wait_for(lambda: set(database.runs()) == JOBS and min(database.runs().values()) >= 1,
                 timeout=90, what="every job's first run")  # fmt: skip
        time.sleep(2)  # a few more ticks of both clocks: nothing is due again yet
    finally:
        results = [stop(clock) for clock in clocks]

    assert database.runs() == dict.fromkeys(JOBS, 1)
    outcomes = database.outcomes()
    assert not [o for o in outcomes.values() if not o.startswith(("ok:", "skipped:"))], outcomes
    assert outcomes["billing_reconcile"].startswith("skipped: No Stripe key")
    assert outcomes["prune_task_results"].startswith("ok: Pruned finished tasks")
    reported = [line.split(":")[0] for _, output in results for line in output.splitlines()
                if line.split(":")[0] in JOBS]  # fmt: skip
    assert sorted(reported) == sorted(JOBS), "each job reported by exactly one of the two clocks"
    for code, output in results:
        assert code == 0, output
        assert "Newsroom clock stopped." in output


def test_sigterm_stops_the_clock_cleanly_and_a_restart_resumes_the_schedule(
    database: Database, tmp_path: Path
) -> None:
    clock = start_newsroom(database, tmp_path)
    try:
        wait_for(lambda: len(database.runs()) == len(JOBS) and min(database.runs().values()) >= 1,
                 timeout=90, what="every job's first run")  # fmt: skip
    finally:
        started = time.monotonic()
        code, output = stop(clock)
    assert code == 0, output
    assert time.monotonic() - started < 10, "a SIGTERM between ticks stops within a tick or two"
    assert "SIGTERM: finishing the work in hand, then stopping." in output
    assert "Newsroom clock stopped." in output
    after_first = database.runs()
    assert after_first == dict.fromkeys(JOBS, 1)

    # Scheduled publishing comes due while no clock runs; the daily jobs are not due for a day.
    database.execute(
        "UPDATE schedule_scheduledjob SET next_run_at = '2000-01-01 00:00:00+00:00' "
        "WHERE name = 'publish_scheduled'"
    )
    clock = start_newsroom(database, tmp_path)
    try:
        wait_for(lambda: database.runs()["publish_scheduled"] == 2, timeout=60, what="the due job to run")
        time.sleep(1.5)
    finally:
        code, output = stop(clock)
    assert code == 0, output
    assert database.runs() == {**after_first, "publish_scheduled": 2}


def test_make_demo_runs_the_newsroom_clock_beside_gunicorn_and_stops_it_with_gunicorn(
    database: Database, tmp_path: Path
) -> None:
    port = _free_port()
    recipe = subprocess.run(
        ["make", "-n", "demo", f"PORT={port}", "WORKERS=1", "THREADS=2"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    ).stdout  # fmt: skip
    # The serving command: the recipe's last shell line (continued with backslashes).
    serve = recipe.rstrip("\n").split("\n")
    start = max(i for i, line in enumerate(serve) if "run_newsroom" in line)
    command = "\n".join(serve[start:])
    assert "gunicorn" in command and f"127.0.0.1:{port}" in command

    demo = subprocess.Popen(
        ["bash", "-c", command], cwd=ROOT, env=process_env(database.url, tmp_path), text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(lambda: _answers(port), timeout=90, what="gunicorn to answer")
        wait_for(lambda: database.runs().get("publish_scheduled", 0) >= 1, timeout=90,
                 what="the newsroom clock's first run")  # fmt: skip
        gunicorn = _child_running(demo.pid, "gunicorn")
        os.kill(gunicorn, signal.SIGTERM)  # gunicorn ends: the clock must not outlive it
        output, _ = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            os.killpg(demo.pid, signal.SIGKILL)
            demo.wait()
    assert "Newsroom clock stopped." in output
    assert not _answers(port)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _child_running(parent: int, name: str) -> int:
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    for child in children:
        if name in Path(f"/proc/{child}/cmdline").read_bytes().decode(errors="replace"):
            return int(child)
    raise AssertionError(f"no {name} process under {parent}")
