"""Shared fixtures. Feature-specific fixtures live in each test package's own conftest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import ensure_wagtail_roots

# Playwright's sync API keeps an event loop marked running in this thread while the browser is open;
# the ORM calls the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, launched once for the whole run: a second Playwright could not start
    while this one is open (its loop is running in this thread), and one launch keeps suites fast."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def wagtail_roots(transactional_db: Any) -> None:
    """A transactional test starts from an emptied database: put back what migrations created."""
    ensure_wagtail_roots()


@pytest.fixture(scope="session", autouse=True)
def _migrated_templates() -> Iterator[None]:
    """The session's migrated templates (tests/migrated.py: one `migrate` per run) and its built
    demo (tests/demo/built.py: one `build_demo` per run) go at its end."""
    yield
    from tests import migrated
    from tests.demo import built

    built.drop()
    migrated.drop_templates()


# --- Where the suite's time goes (opt-in: SUITE_CPU_REPORT=path) --------------------------------
# Per test module: this process's CPU (time.process_time), the CPU of child processes it reaped
# (servers, migrate, java, chromium: resource.getrusage(RUSAGE_CHILDREN)) and the wall time, from
# the first test's setup to the last one's teardown (module- and session-scoped fixtures land in
# the module that first or last uses them; a child counts when it is reaped). CPU, not wall: the
# machine is shared. Under xdist each worker measures its own modules and the controller writes
# one table.

_CPU_REPORT = os.environ.get("SUITE_CPU_REPORT")


def _cpu_now() -> tuple[float, float, float]:
    import resource
    import time

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), children.ru_utime + children.ru_stime, time.perf_counter()


_cpu_rows: dict[str, list[float]] = {}


def _cpu_add(key: str, start: tuple[float, float, float]) -> None:
    end = _cpu_now()
    row = _cpu_rows.setdefault(key, [0.0, 0.0, 0.0, 0])
    for i in range(3):
        row[i] += end[i] - start[i]
    row[3] += 1


if _CPU_REPORT:

    @pytest.hookimpl(hookwrapper=True)
    def pytest_collection(session: Any) -> Iterator[None]:
        start = _cpu_now()
        yield
        _cpu_add("(collection)", start)
        _cpu_rows["(collection)"][3] = 0

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(item: Any, nextitem: Any) -> Iterator[None]:
        start = _cpu_now()
        yield
        module = item.nodeid.split("::")[0]
        _cpu_add(module, start)
        # The table so far is rewritten as each module ends, so an interrupted run still says
        # where its time went.
        last_of_module = nextitem is None or nextitem.nodeid.split("::")[0] != module
        if last_of_module and not hasattr(item.config, "workeroutput"):
            _write_cpu_report(Path(_CPU_REPORT))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(session: Any) -> None:
        import json

        workeroutput = getattr(session.config, "workeroutput", None)
        if workeroutput is not None:  # an xdist worker: the controller writes the table
            workeroutput["suite_cpu"] = json.dumps(_cpu_rows)
            return
        _write_cpu_report(Path(_CPU_REPORT))

    def pytest_testnodedown(node: Any, error: Any) -> None:
        import json

        for key, row in json.loads(node.workeroutput.get("suite_cpu", "{}")).items():
            mine = _cpu_rows.setdefault(key, [0.0, 0.0, 0.0, 0])
            for i in range(4):
                mine[i] += row[i]


def _write_cpu_report(path: Path) -> None:
    rows = sorted(_cpu_rows.items(), key=lambda kv: -(kv[1][0] + kv[1][1]))
    total = [sum(r[i] for _, r in rows) for i in range(4)]
    lines = [
        f"{'module':<60} {'tests':>5} {'own CPU':>8} {'children':>8} {'CPU':>8} {'wall':>8}",
        *(
            f"{k:<60} {int(r[3]):>5} {r[0]:>8.1f} {r[1]:>8.1f} {r[0] + r[1]:>8.1f} {r[2]:>8.1f}"
            for k, r in rows
        ),
        f"{'total':<60} {int(total[3]):>5} {total[0]:>8.1f} {total[1]:>8.1f} "
        f"{total[0] + total[1]:>8.1f} {total[2]:>8.1f}",
    ]
    path.write_text("\n".join(lines) + "\n")
