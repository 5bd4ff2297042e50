"""`make bench`: the site served the production way, driven by wrk, side by side with a bare view.

Prepares a fresh bench database (PostgreSQL, else SQLite) with demo content, starts gunicorn on a
free 127.0.0.1 port, signs readers in, and measures each scenario after a warm-up: req/s and
p50/p99 latency (median of BENCH_RUNS runs at BENCH_CONNECTIONS connections), each as a ratio to
the reference view measured in the same rounds. Then peak RSS per worker, SQL queries per
scenario and the meter stores alone. Compression: the metered article and the front page are
also measured asking for brotli or gzip (COMPRESSED_TWINS), with the workers' CPU per response,
against their plain twins. Writes bench/results/latest.json and latest.png and prints a table.
Nothing here asserts on absolute times: the figures are for reading, not for gating.

Knobs (environment): BENCH_SECONDS (15), BENCH_RUNS (3), BENCH_WARMUP (3 s), BENCH_CONNECTIONS
(32), BENCH_WORKERS (cores), BENCH_WORKER_THREADS (4; 1 = sync workers), BENCH_PRELOAD (1), BENCH_DATABASE
(auto|postgres|sqlite), BENCH_REDIS (auto|on|off), BENCH_PG_URL, BENCH_REDIS_URL,
BENCH_SETTINGS (config.settings.production), BENCH_OUTPUT (bench/results/latest.json),
BENCH_PORT (a free one), BENCH_METER_RECORDS (5000), BENCH_METER_THREADS (8), BENCH_CONTENT
(build_demo, or fallback for the bench's own small publication), BENCH_KEEP (keep the temp dir),
BENCH_MIGRATED_SQLITE (an already migrated SQLite file to copy instead of running migrate),
BENCH_STATIC_IGNORE (collectstatic --ignore patterns, space-separated, for runs that never serve them),
BENCH_PEERS (e.g. `ghost`: also measure a peer side by side, see below).

Peers (only with BENCH_PEERS=ghost; never installed or started otherwise): Ghost 5.130 is
installed once from the npm registry into var/peers/ghost (bench/peers/ghost.py), started in
production mode on SQLite on 127.0.0.1 beside Masthead, given a public post with the bench
article's words, and loaded in the same rounds as the scenarios (same wrk client, connections,
threads and duration; one load at a time; both servers up throughout). The results give the ratio
"Masthead anonymous metered / Ghost public post" per round and overall, Ghost's p99, CPU per page
and memory. Then issue 16's targets are judged (bench/targets.py): printed as a table with a
met / missed / not run column and written into the results file.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on the path; the repository root must be there instead
# so `bench.*` imports as a package and nothing in bench/ shadows a standard module.
sys.path[:] = [str(ROOT)] + [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "bench"]

from bench import chart, compression_cost, environment, newsletter_throughput, peers, readers, targets  # noqa: E402
from bench.loopback import decoded, fetch, fetch_raw, header  # noqa: E402
from bench.server import Gunicorn, WorkerModel, free_port  # noqa: E402
from bench.wrk import WrkResult, find_wrk, median_result, run_wrk  # noqa: E402

SCENARIO_NAMES = [
    "anonymous_metered",
    "anonymous_metered_unrecorded",
    "anonymous_metered_br",
    "anonymous_metered_gzip",
    "registered_metered",
    "subscriber_article",
    "anonymous_walled",
    "front_page",
    "front_page_br",
    "section_page",
    "api_article",
]
REFERENCE = "reference"
# What Chromium sends. wrk sends no Accept-Encoding, so the plain scenarios get the page
# uncompressed; these copies ask for it, from the same server in the same rounds (each right after
# its plain twin), so the difference is what compression costs the server. The server compresses
# with brotli when `br` is accepted (masthead.core.compression).
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# Issue 14's side by side: the anonymous metered article read by an agent analytics leaves out
# (it names itself a monitor, as uptime checkers do), right after its twin from the same server. The
# meter, the page and the cookie are the same; only the view's analytics event is not recorded.
UNRECORDED_AGENT = "Mozilla/5.0 (compatible; masthead-bench-monitor)"
# The page each peer is measured on (not one of Masthead's scenarios).
PEER_SCENARIO = {"ghost": "ghost_public_post"}
COMPRESSED_TWINS = {
    "anonymous_metered_br": ("anonymous_metered", BROWSER_ACCEPT_ENCODING, "br"),
    "anonymous_metered_gzip": ("anonymous_metered", "gzip", "gzip"),
    "front_page_br": ("front_page", BROWSER_ACCEPT_ENCODING, "br"),
}


@dataclass
class Knobs:
    seconds: float = float(os.environ.get("BENCH_SECONDS", "15"))
    runs: int = max(1, int(os.environ.get("BENCH_RUNS", "3")))
    warmup: float = float(os.environ.get("BENCH_WARMUP", "3"))
    connections: int = int(os.environ.get("BENCH_CONNECTIONS", "32"))
    wrk_threads: int = int(os.environ.get("BENCH_WRK_THREADS", "2"))
    # gthread, one worker per core and four threads each: keeps connections alive (sync workers
    # close every connection) and measured faster than 2 x cores sync workers (docs/performance.md).
    workers: int = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
    worker_threads: int = int(os.environ.get("BENCH_WORKER_THREADS", "4"))
    preload: bool = os.environ.get("BENCH_PRELOAD", "1") not in ("", "0")
    server: str = os.environ.get("BENCH_SERVER", "gunicorn")  # gunicorn | granian
    base_settings: str = os.environ.get("BENCH_SETTINGS", "config.settings.production")
    output: Path = Path(os.environ.get("BENCH_OUTPUT", ROOT / "bench" / "results" / "latest.json"))
    port: int = int(os.environ.get("BENCH_PORT", "0"))
    content: str = os.environ.get("BENCH_CONTENT", "build_demo")  # build_demo | fallback
    meter_records: int = int(os.environ.get("BENCH_METER_RECORDS", "5000"))
    meter_threads: int = int(os.environ.get("BENCH_METER_THREADS", "8"))
    keep: bool = os.environ.get("BENCH_KEEP", "") not in ("", "0")
    # An already migrated SQLite database to copy instead of running `migrate` (the smoke test's).
    migrated_sqlite: str = os.environ.get("BENCH_MIGRATED_SQLITE", "")
    # Static folders collectstatic leaves out (its --ignore patterns), for a run that never serves
    # them: the smoke test leaves out the admins' and the API docs' assets, most of the work.
    static_ignore: list[str] = field(
        default_factory=lambda: os.environ.get("BENCH_STATIC_IGNORE", "").split()
    )


@dataclass
class Scenario:
    name: str
    path: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    wrk_env: dict[str, str] = field(default_factory=dict)
    skipped: str | None = None
    checks: dict[str, Any] = field(default_factory=dict)
    runs: list[WrkResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Server CPU (gunicorn workers, user + system) per response, one figure per run.
    cpu_ms_per_request: list[float] = field(default_factory=list)
    body: bytes = b""  # the page as the check before the load received it (decoded)
    # A peer's page (e.g. Ghost's post): loaded on that server, kept out of Masthead's scenarios.
    server: Any = None


_STARTED = time.monotonic()


def say(message: str) -> None:
    print(f"[bench {time.monotonic() - _STARTED:6.1f}s] {message}", flush=True)


class Django:
    """Management commands and probe steps in subprocesses sharing the bench environment."""

    def __init__(self, env: dict[str, str], workdir: Path):
        self.env, self.workdir = env, workdir

    def manage(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=False,
        )  # fmt: skip

    def must(self, *args: str, timeout: float = 900) -> None:
        done = self.manage(*args, timeout=timeout)
        if done.returncode != 0:
            raise SystemExit(f"manage.py {' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")

    def probe(self, step: str, params: Any = None, timeout: float = 600) -> Any:
        out_path, in_path = self.workdir / f"{step}.out.json", self.workdir / f"{step}.in.json"
        command = [sys.executable, "-m", "bench.probe", step, str(out_path)]
        if params is not None:
            in_path.write_text(json.dumps(params))
            command.append(str(in_path))
        done = subprocess.run(
            command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench.probe {step} failed:\n{done.stderr[-2000:]}")
        return json.loads(out_path.read_text())


def copy_sqlite(source: Path, target: Path) -> None:
    """The backup API copies what the source's WAL holds too."""
    import sqlite3

    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


def prepare_content(django: Django, notes: list[str], wanted: str) -> str:
    if wanted == "fallback":
        say("content: the bench's fallback publication (BENCH_CONTENT=fallback)")
        django.probe("fallback-content")
        return "bench fallback (tests.builders)"
    say("demo content: manage.py build_demo")
    done = django.manage("build_demo")
    if done.returncode == 0:
        return "build_demo"
    reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
    notes.append(f"build_demo failed or missing ({reason[0][:200]}); used the bench's fallback content")
    say(f"build_demo unavailable ({reason[0][:120]}); building fallback content")
    django.probe("fallback-content")
    return "bench fallback (tests.builders)"


def _skip_unless_ok(scenario: Scenario, base_url: str, *, marker: str | None, expect_whole: bool) -> None:
    """One request before the load: the page must answer 200 with the expected cut, compressed
    exactly when the scenario asks for it."""
    status, headers, raw = fetch_raw(base_url, scenario.path, headers=scenario.headers)
    scenario.checks["status"] = status
    if status != 200:
        location = header(headers, "Location")
        scenario.skipped = f"GET {scenario.path} answered {status}" + (f" -> {location}" if location else "")
        return
    body = decoded(headers, raw)
    scenario.body = body.encode()
    encoding = header(headers, "Content-Encoding")
    scenario.checks["content_encoding"] = encoding
    scenario.checks["bytes_on_wire"] = len(raw)
    # A compressed scenario must get its coding, and its plain twin none (wrk sends no Accept-Encoding).
    expected_encoding = COMPRESSED_TWINS[scenario.name][2] if scenario.name in COMPRESSED_TWINS else None
    twins = {twin for twin, _, _ in COMPRESSED_TWINS.values()}
    if (scenario.name in COMPRESSED_TWINS or scenario.name in twins) and encoding != expected_encoding:
        scenario.checks["warning"] = f"Content-Encoding {encoding!r}, expected {expected_encoding!r}"
    whole = readers.shows_whole_article(body, marker)
    if whole is not None:
        scenario.checks["whole_article_served"] = whole
        if whole != expect_whole:
            scenario.checks["warning"] = (
                "reader got the full article but should not" if whole else "reader got only the teaser"
            )
    if scenario.name.startswith("anonymous_metered"):
        scenario.checks["new_reader_cookie"] = sorted(
            value.split("=", 1)[0] for name, value in headers if name.lower() == "set-cookie"
        )


def build_scenarios(base_url: str, site: dict[str, Any], password: str) -> list[Scenario]:
    metered = site.get("metered") or []
    subscriber_only = site.get("subscriber_only")
    scenarios = {name: Scenario(name) for name in [REFERENCE, *SCENARIO_NAMES]}
    scenarios[REFERENCE].path = f"/bench/reference/{site['reference_pk']}/"
    scenarios["front_page"].path = site["home"]
    if site.get("section"):
        scenarios["section_page"].path = site["section"]
    else:
        scenarios["section_page"].skipped = "no live section page"

    def sign_in(email: str) -> readers.Reader | str:
        try:
            return readers.sign_in(base_url, email=email, password=password)
        except readers.ReaderUnavailable as exc:
            return str(exc)

    registered, subscriber = sign_in("reader@example.com"), sign_in("subscriber@example.com")
    try:
        app: readers.Reader | str = readers.api_token(
            base_url, email="subscriber@example.com", password=password
        )
    except readers.ReaderUnavailable as exc:
        app = str(exc)

    def assign(
        name: str, article: dict[str, Any] | None, reader: readers.Reader | str | None, path: str = ""
    ) -> None:
        scenario = scenarios[name]
        if article is None:
            scenario.skipped = "no suitable article in the demo content"
        elif isinstance(reader, str):
            scenario.skipped = reader
        else:
            scenario.path = path or article["path"]
            scenario.headers = reader.request_headers() if reader else {}

    first = metered[0] if metered else None
    assign("anonymous_metered", first, None)
    scenarios["anonymous_metered"].wrk_env = {"BENCH_FRESH_READER": "1"}
    assign("registered_metered", first, registered)
    assign("subscriber_article", subscriber_only, subscriber)
    api_article = subscriber_only or first
    assign(
        "api_article", api_article, app, path=f"/api/v1/articles/{api_article['id']}" if api_article else ""
    )
    walled_article = None
    try:
        walled_reader, walled_article = readers.walled_anonymous_reader(base_url, metered)
        assign("anonymous_walled", walled_article, walled_reader)
    except readers.ReaderUnavailable as exc:
        scenarios["anonymous_walled"].skipped = str(exc)

    unrecorded, recorded = scenarios["anonymous_metered_unrecorded"], scenarios["anonymous_metered"]
    unrecorded.path, unrecorded.skipped = recorded.path, recorded.skipped
    unrecorded.headers = {**recorded.headers, "User-Agent": UNRECORDED_AGENT}
    unrecorded.wrk_env = dict(recorded.wrk_env)

    for name, (twin, accept_encoding, _) in COMPRESSED_TWINS.items():
        scenario, original = scenarios[name], scenarios[twin]
        scenario.path, scenario.skipped = original.path, original.skipped
        scenario.headers = {**original.headers, "Accept-Encoding": accept_encoding}
        scenario.wrk_env = dict(original.wrk_env)

    markers = {
        "anonymous_metered": (first, True),
        "anonymous_metered_unrecorded": (first, True),
        "anonymous_metered_br": (first, True),
        "anonymous_metered_gzip": (first, True),
        "registered_metered": (first, True),
        "subscriber_article": (subscriber_only, True),
        "api_article": (api_article, True),
        "anonymous_walled": (walled_article, False),
    }
    for scenario in scenarios.values():
        if scenario.skipped:
            continue
        article, expect_whole = markers.get(scenario.name, (None, True))
        _skip_unless_ok(scenario, base_url, marker=(article or {}).get("marker"), expect_whole=expect_whole)
    return list(scenarios.values())


# Pairs compared with each other (issue 14's recording cost): their order flips every round, so
# neither always runs first after the reference (in one run the first article scenario of each
# round cost 8-13 % more CPU than its twin right after it; alternating keeps that out of the pair).
SWAPPED_PAIRS = (("anonymous_metered", "anonymous_metered_unrecorded"),)


def _round_order(live: list[Scenario], round_number: int) -> list[Scenario]:
    order = list(live)
    if round_number % 2 == 0:
        names = [scenario.name for scenario in order]
        for first, second in SWAPPED_PAIRS:
            if first in names and second in names:
                i, j = names.index(first), names.index(second)
                order[i], order[j] = order[j], order[i]
                names[i], names[j] = names[j], names[i]
    return order


def measure(scenarios: list[Scenario], server: Gunicorn, knobs: Knobs) -> None:
    base_url = server.base_url
    live = [scenario for scenario in scenarios if not scenario.skipped]

    reference_path = next(scenario.path for scenario in scenarios if scenario.name == REFERENCE)

    def one(scenario: Scenario, seconds: float) -> WrkResult:
        target = scenario.server or server
        try:
            return run_wrk(
                url=target.base_url + scenario.path,
                seconds=seconds,
                connections=knobs.connections,
                threads=knobs.wrk_threads,
                headers=scenario.headers,
                script="reader.lua",
                env=scenario.wrk_env,
            )
        finally:
            # Requests wrk left queued when it stopped are still served after it exits; one
            # request through the same queue waits them out, so the next run starts on an idle
            # server instead of paying for this one's backlog.
            with contextlib.suppress(OSError):
                if scenario.server is None:
                    fetch(base_url, reference_path, timeout=60)
                else:
                    fetch(target.base_url, scenario.path, timeout=60)

    if knobs.warmup > 0:
        for scenario in live:
            say(f"warm-up {scenario.name} ({knobs.warmup:.0f}s)")
            try:
                one(scenario, knobs.warmup)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                scenario.errors.append(f"warm-up: {exc}")
    # Rounds interleave the scenarios, so a noisy minute on a shared machine hits all of them.
    for round_number in range(1, knobs.runs + 1):
        for scenario in _round_order(live, round_number):
            target = scenario.server or server
            cpu_before = target.worker_cpu_seconds()
            try:
                result = one(scenario, knobs.seconds)
            except (RuntimeError, subprocess.TimeoutExpired) as exc:
                scenario.errors.append(f"run {round_number}: {exc}")
                continue
            scenario.runs.append(result)
            cpu_ms = None
            if result.requests:
                cpu_ms = (target.worker_cpu_seconds() - cpu_before) * 1000 / result.requests
                scenario.cpu_ms_per_request.append(round(cpu_ms, 3))
            say(
                f"run {round_number}/{knobs.runs} {scenario.name:<22} {result.rps:>9.1f} req/s "
                f"p50 {result.p50_ms or 0:.1f} ms p99 {result.p99_ms or 0:.1f} ms"
                + (f" cpu {cpu_ms:.2f} ms/req" if cpu_ms is not None else "")
            )
    for scenario in live:
        if not scenario.runs:
            scenario.skipped = "wrk failed: " + (scenario.errors[-1] if scenario.errors else "no run")


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def assemble(
    *, scenarios: list[Scenario], knobs: Knobs, backends: environment.Backends, model: WorkerModel,
    rss: list[float], pss: list[float], queries: dict[str, Any], meter: dict[str, Any], content: str,
    notes: list[str],
    accounts: dict[str, Any],
    peer_info: dict[str, dict[str, Any]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    by_name = {scenario.name: scenario for scenario in scenarios}
    reference = by_name[REFERENCE]
    reference_rps = median_result(reference.runs).rps if reference.runs else None
    rows, details = [], {}
    for name in SCENARIO_NAMES:
        scenario = by_name[name]
        details[name] = {
            "path": scenario.path,
            "queries": queries.get(name),
            "checks": scenario.checks,
            "runs_rps": [round(run.rps, 1) for run in scenario.runs],
            "server_cpu_ms_per_request": scenario.cpu_ms_per_request,
            "non_200_responses": sum(int(run.notes.get("non_200", 0)) for run in scenario.runs),
            "responses": sum(int(run.notes.get("responses", 0)) for run in scenario.runs),
            "responses_with_set_cookie": sum(int(run.notes.get("set_cookie", 0)) for run in scenario.runs),
            "socket_errors": sum(run.socket_errors for run in scenario.runs),
            "errors": scenario.errors,
        }
        if scenario.skipped or not scenario.runs:
            rows.append(
                {"name": name, "rps": None, "p50_ms": None, "p99_ms": None, "ratio": None,
                 "skipped": scenario.skipped or "no run"}
            )  # fmt: skip
            continue
        median = median_result(scenario.runs)
        rows.append(
            {
                "name": name,
                "rps": round(median.rps, 1),
                "p50_ms": _round(median.p50_ms),
                "p99_ms": _round(median.p99_ms),
                "ratio": round(median.rps / reference_rps, 3) if reference_rps else None,
                "cpu_ms_per_request": _median(scenario.cpu_ms_per_request),
            }
        )
    reference_median = median_result(reference.runs) if reference.runs else None
    compression = compression_summary(by_name, rows)
    return {
        "database": backends.database,
        "meter_store": backends.meter_store,
        "workers": model.workers,
        "reference_rps": round(reference_rps, 1) if reference_rps else None,
        "rss_mb_per_worker": max(rss) if rss else None,
        "scenarios": rows,
        # Extras: enough to reproduce and to read the figures honestly.
        "worker_model": model.describe(),
        "settings": f"{knobs.base_settings} (DEBUG=False)",
        "cache": backends.cache,
        "content": content,
        "reference": {
            "path": reference.path,
            "p50_ms": _round(reference_median.p50_ms) if reference_median else None,
            "p99_ms": _round(reference_median.p99_ms) if reference_median else None,
            "queries": queries.get(REFERENCE),
            "runs_rps": [round(run.rps, 1) for run in reference.runs],
        },
        "rss_mb_each_worker": rss,
        # RSS counts the preloaded application in every worker; PSS splits shared pages between them.
        "pss_mb_per_worker": max(pss) if pss else None,
        "pss_mb_each_worker": pss,
        "meter_throughput": meter,
        "compression": compression,
        "scenario_details": details,
        "load": {
            "tool": "wrk",
            "connections": knobs.connections,
            "threads": knobs.wrk_threads,
            "seconds_per_run": knobs.seconds,
            "runs": knobs.runs,
            "warmup_seconds": knobs.warmup,
        },
        "accounts": accounts,
        "peers": peer_summaries(by_name, reference_rps, peer_info or {}),
        "machine": {"cpus": os.cpu_count(), "load_average_at_end": [round(x, 2) for x in os.getloadavg()]},
        "notes": notes,
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def peer_summaries(
    by_name: dict[str, Scenario], reference_rps: float | None, peer_info: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Each peer's page beside Masthead's anonymous metered article, round by round (the two ran
    in the same rounds, so "Masthead / peer" of one round is one minute's comparison)."""
    summaries: dict[str, Any] = {}
    anonymous = by_name["anonymous_metered"]
    for name in peers.KNOWN:
        info = dict(peer_info.get(name) or {"skipped": f"not run: BENCH_PEERS={name} not set"})
        scenario = by_name.get(PEER_SCENARIO[name])
        if scenario is None or scenario.skipped or not scenario.runs:
            if scenario is not None:
                info.setdefault("skipped", scenario.skipped or "no run: " + "; ".join(scenario.errors))
            summaries[name] = info
            continue
        median = median_result(scenario.runs)
        entry: dict[str, Any] = {
            **info,
            "path": scenario.path,
            "rps": round(median.rps, 1),
            "p50_ms": _round(median.p50_ms),
            "p99_ms": _round(median.p99_ms),
            "cpu_ms_per_request": _median(scenario.cpu_ms_per_request),
            "runs_rps": [round(run.rps, 1) for run in scenario.runs],
            "cpu_ms_per_request_by_round": scenario.cpu_ms_per_request,
            "ratio_to_reference": round(median.rps / reference_rps, 3) if reference_rps else None,
            "checks": scenario.checks,
            "non_200_responses": sum(int(run.notes.get("non_200", 0)) for run in scenario.runs),
            "socket_errors": sum(run.socket_errors for run in scenario.runs),
            "errors": scenario.errors,
        }
        if anonymous.runs:
            masthead = median_result(anonymous.runs)
            entry["masthead_anonymous_metered"] = {
                "rps": round(masthead.rps, 1),
                "p99_ms": _round(masthead.p99_ms),
                "cpu_ms_per_request": _median(anonymous.cpu_ms_per_request),
            }
            entry["masthead_over_peer"] = round(masthead.rps / median.rps, 2) if median.rps else None
            entry["masthead_over_peer_by_round"] = [
                round(ours.rps / theirs.rps, 2)
                for ours, theirs in zip(anonymous.runs, scenario.runs, strict=False)
                if theirs.rps
            ]
            # Server CPU per page, theirs over ours, round by round: on a shared machine it moves
            # much less than req/s (Ghost runs on one core, Masthead's workers on both).
            cpu_by_round = [
                round(theirs / ours, 2)
                for ours, theirs in zip(
                    anonymous.cpu_ms_per_request, scenario.cpu_ms_per_request, strict=False
                )
                if ours
            ]
            entry["peer_cpu_over_masthead_by_round"] = cpu_by_round
            entry["peer_cpu_over_masthead"] = _median(cpu_by_round)
        summaries[name] = entry
    return summaries


def _median(values: list[float]) -> float | None:
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 2] if ordered else None


def compression_summary(by_name: dict[str, Scenario], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Each compressed scenario against its plain twin: the ratios, the throughput kept round by
    round (the two ran back to back, so a noisy minute hits both), the server's CPU per response,
    and the cost of compressing the page measured apart from the server."""
    row_of = {row["name"]: row for row in rows}
    summary: dict[str, Any] = {}
    for name, (twin, accept_encoding, encoding) in COMPRESSED_TWINS.items():
        compressed, plain = by_name[name], by_name[twin]
        if not compressed.runs or not plain.runs:
            summary[name] = {"skipped": compressed.skipped or plain.skipped or "no run"}
            continue
        kept_by_round = [
            round(done.rps / base.rps, 3) for done, base in zip(compressed.runs, plain.runs, strict=False)
        ]
        cpu_plain, cpu_compressed = _median(plain.cpu_ms_per_request), _median(compressed.cpu_ms_per_request)
        entry: dict[str, Any] = {
            "plain_scenario": twin,
            "accept_encoding": accept_encoding,
            "content_encoding": compressed.checks.get("content_encoding"),
            "bytes_plain": plain.checks.get("bytes_on_wire"),
            "bytes_compressed": compressed.checks.get("bytes_on_wire"),
            "ratio_plain": row_of[twin]["ratio"],
            "ratio_compressed": row_of[name]["ratio"],
            "throughput_kept_by_round": kept_by_round,
            "throughput_kept_median_round": _median(kept_by_round),
            "server_cpu_ms_plain": cpu_plain,
            "server_cpu_ms_compressed": cpu_compressed,
            "server_cpu_extra_share": (
                round((cpu_compressed - cpu_plain) / cpu_compressed, 4)
                if cpu_plain is not None and cpu_compressed
                else None
            ),
        }
        if row_of[twin]["ratio"] and row_of[name]["ratio"] is not None:
            entry["ratio_cost_share"] = round(1 - row_of[name]["ratio"] / row_of[twin]["ratio"], 4)
        if plain.body:
            page = compression_cost.measure_page(plain.body)
            page["cpu_share_if_compressed_afresh"] = compression_cost.share_of_request(
                page["br_ms" if encoding == "br" else "gzip_ms"], cpu_plain
            )
            entry["page"] = page
        summary[name] = entry
    return summary


def print_table(results: dict[str, Any]) -> None:
    def queries_of(entry: Any) -> str:
        return str(entry["queries"]) if isinstance(entry, dict) and "queries" in entry else "-"

    print()
    print(
        f"database: {results['database']} | meter store: {results['meter_store']} | "
        f"{results['worker_model']} | {results['settings']}"
    )
    line = f"{'scenario':<22} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>7} {'queries':>8}"
    print(line)
    print("-" * len(line))
    reference = results["reference"]
    print(
        f"{'reference (bare view)':<22} {results['reference_rps'] or 0:>9.1f} "
        f"{reference['p50_ms'] or 0:>8.2f} {reference['p99_ms'] or 0:>8.2f} {'1.00':>7} "
        f"{queries_of(reference['queries']):>8}"
    )
    for row in results["scenarios"]:
        queries = queries_of(results["scenario_details"][row["name"]]["queries"])
        if row["rps"] is None:
            print(f"{row['name']:<22} skipped: {row['skipped']}")
            continue
        ratio = f"{row['ratio']:.2f}" if row["ratio"] is not None else "-"
        print(
            f"{row['name']:<22} {row['rps']:>9.1f} {row['p50_ms'] or 0:>8.2f} {row['p99_ms'] or 0:>8.2f} "
            f"{ratio:>7} {queries:>8}"
        )
    print(f"peak RSS per worker: {results['rss_mb_per_worker']} MB (each: {results['rss_mb_each_worker']})")
    print(f"PSS per worker (end): {results['pss_mb_per_worker']} MB (each: {results['pss_mb_each_worker']})")
    for store, figures in (results["meter_throughput"] or {}).items():
        if isinstance(figures, dict) and "records_per_second" in figures:
            print(
                f"meter store {store}: {figures['records_per_second']:,.0f} records/s "
                f"({figures['records']} records, exact: {figures['exact']})"
            )
        else:
            print(f"meter store {store}: {figures}")
    for name, detail in results["scenario_details"].items():
        if detail["checks"].get("warning"):
            print(f"WARNING {name}: {detail['checks']['warning']}")
        if detail["non_200_responses"]:
            print(f"WARNING {name}: {detail['non_200_responses']} responses were not 200")
    for name, entry in (results.get("compression") or {}).items():
        if "skipped" in entry:
            print(f"compression {name}: skipped: {entry['skipped']}")
            continue
        page = entry.get("page")
        alone = f"; compressing it alone: br {page['br_ms']} ms, gzip {page['gzip_ms']} ms" if page else ""
        print(
            f"compression {name} ({entry['content_encoding']}, {entry['bytes_plain']} -> "
            f"{entry['bytes_compressed']} B): ratio {entry['ratio_plain']} plain, "
            f"{entry['ratio_compressed']} compressed (cost {entry.get('ratio_cost_share', 0):.1%}); "
            f"throughput kept per round {entry['throughput_kept_by_round']}; server CPU "
            f"{entry['server_cpu_ms_plain']} -> {entry['server_cpu_ms_compressed']} ms/response" + alone
        )
    for name, peer in (results.get("peers") or {}).items():
        if peer.get("rps") is None:
            print(f"peer {name}: {peer.get('skipped')}")
            continue
        ours = peer.get("masthead_anonymous_metered") or {}
        print(
            f"peer {name} {peer.get('version', '')} public post {peer['path']}: {peer['rps']:.1f} req/s, "
            f"p50 {peer['p50_ms'] or 0:.1f} ms, p99 {peer['p99_ms'] or 0:.1f} ms, "
            f"CPU {peer['cpu_ms_per_request'] or 0:.2f} ms/page, peak RSS {peer.get('peak_rss_mb')} MB "
            f"(PSS {peer.get('pss_mb')} MB); Masthead anonymous metered {ours.get('rps')} req/s, "
            f"p99 {ours.get('p99_ms')} ms, CPU {ours.get('cpu_ms_per_request')} ms/page"
        )
        print(
            f"Masthead anonymous metered / {name} public post: {peer.get('masthead_over_peer')}x "
            f"(by round: {peer.get('masthead_over_peer_by_round')}); {name}'s CPU per page / Masthead's: "
            f"{peer.get('peer_cpu_over_masthead')}x (by round: {peer.get('peer_cpu_over_masthead_by_round')})"
        )
        if peer["non_200_responses"] or peer.get("checks", {}).get("warning"):
            warning = peer["checks"].get("warning", "")
            print(f"WARNING peer {name}: {peer['non_200_responses']} responses were not 200 {warning}")
    for note in results["notes"]:
        print(f"note: {note}")
    if results.get("targets"):
        print()
        print(f"Issue 16 targets (load average at end: {results['machine']['load_average_at_end']})")
        print(targets.format_table(results["targets"]))


def install_peers(wanted: list[str], peer_info: dict[str, dict[str, Any]]) -> Path | None:
    """Ghost's application folder when it was asked for and could be installed; else None, with
    the reason in peer_info. Runs only when BENCH_PEERS names a peer."""
    if "ghost" not in wanted:
        return None
    from bench.peers import ghost

    try:
        return ghost.install(say)
    except ghost.PeerUnavailable as exc:
        peer_info["ghost"] = {"skipped": f"not run: Ghost could not be installed: {exc}"[:1500]}
        say(peer_info["ghost"]["skipped"])
        return None


def start_ghost(
    app: Path, django: Django, site: dict[str, Any], workdir: Path, peer_info: dict[str, dict[str, Any]]
) -> tuple[Any, Scenario | None]:
    """Ghost up on its own port with a public post of the bench article's length: the server and
    the scenario that loads it, or (server or None, None) with the reason in peer_info."""
    from bench.peers import ghost

    metered = site.get("metered") or []
    if not metered:
        peer_info["ghost"] = {"skipped": "not run: no metered article to copy"}
        return None, None
    server = ghost.Ghost(app=app, rundir=workdir / "ghost", port=free_port())
    info: dict[str, Any] = {"version": server.version(), "node": ghost.node_version()}
    try:
        article = django.probe("peer-article", {"id": metered[0]["id"]})
        say(f"starting Ghost {info['version']} (production, SQLite) on {server.base_url}")
        server.start()
        info["boot_seconds"] = round(server.wait_ready(), 1)
        path = server.create_post(title=article["title"], excerpt=article["excerpt"], html=article["html"])
        status, _, body = fetch(server.base_url, path, timeout=30)
        if status != 200:
            raise ghost.PeerUnavailable(f"GET {path} on Ghost answered {status}")
    except (ghost.PeerUnavailable, RuntimeError, OSError) as exc:
        peer_info["ghost"] = {**info, "skipped": f"not run: {exc}"[:1500]}
        say(peer_info["ghost"]["skipped"])
        server.stop()
        return None, None
    info["post"] = {
        "copied_from": metered[0]["path"],
        "words": article["words"],
        "blocks": article["blocks"],
        "page_bytes": len(body.encode()),
    }
    info["setup"] = (
        "one node process, NODE_ENV=production, SQLite, default theme, logging at warn (no access log, "
        "like Masthead's gunicorn), mail by the stub transport, created through the Admin API"
    )
    peer_info["ghost"] = info
    scenario = Scenario(PEER_SCENARIO["ghost"], path=path, server=server)
    scenario.checks = {"status": status, "bytes_on_wire": len(body.encode())}
    whole = readers.shows_whole_article(body, article.get("marker"))
    if whole is not None:
        scenario.checks["whole_article_served"] = whole
        if not whole:
            scenario.checks["warning"] = "Ghost's page lacks the article's last paragraph"
    say(f"Ghost post {path}: {article['words']} words, {len(body.encode()):,} bytes")
    return server, scenario


def main() -> int:
    knobs = Knobs()
    if find_wrk() is None:
        raise SystemExit("wrk is not installed: `apt-get install wrk` (Debian), then run `make bench` again.")
    notes: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="masthead-bench-"))
    server: Gunicorn | None = None
    peer_server: Any = None
    peer_info: dict[str, dict[str, Any]] = {}
    wanted_peers = peers.requested()
    for name in peers.unknown():
        notes.append(f"BENCH_PEERS names {name!r}, unknown to the bench (known: {', '.join(peers.KNOWN)})")
    try:
        ghost_app = install_peers(wanted_peers, peer_info)
        backends = environment.choose_backends(workdir=workdir, notes=notes)
        say(f"database: {backends.database}; cache: {backends.cache}; meter store: {backends.meter_store}")
        env = environment.django_env(
            root=ROOT, workdir=workdir, backends=backends, base_settings=knobs.base_settings
        )
        django = Django(env, workdir)
        if knobs.migrated_sqlite and backends.database_url.startswith("sqlite:///"):
            # The smoke test hands over its session's migrated database (tests/migrated.py): the
            # same migrations, run once per test session instead of once more here.
            say(f"database: a copy of the migrated {knobs.migrated_sqlite} (BENCH_MIGRATED_SQLITE)")
            copy_sqlite(Path(knobs.migrated_sqlite), Path(backends.database_url.removeprefix("sqlite:///")))
        else:
            say(f"migrate ({knobs.base_settings})")
            django.must("migrate", "--noinput")
        if knobs.base_settings.endswith("production"):
            # Production serves hashed names from a manifest; without it every page is a 500.
            ignored = [f"--ignore={pattern}" for pattern in knobs.static_ignore]
            say("collectstatic" + (f" (leaving out {' '.join(knobs.static_ignore)})" if ignored else ""))
            django.must("collectstatic", "--noinput", *ignored)
        content = prepare_content(django, notes, knobs.content)
        password = secrets.token_urlsafe(18)
        accounts = django.probe("accounts", {"password": password})
        site = django.probe("discover")
        if site.get("error"):
            raise SystemExit(f"no content to benchmark: {site['error']}")
        peer_scenario = None
        if ghost_app is not None:
            # Before Masthead's server starts, so Ghost's first boot (migrations) loads nothing else.
            peer_server, peer_scenario = start_ghost(ghost_app, django, site, workdir, peer_info)

        model = WorkerModel(
            workers=knobs.workers, threads=knobs.worker_threads, preload=knobs.preload, server=knobs.server
        )
        server = Gunicorn(
            root=ROOT, env=env, model=model, port=knobs.port or free_port(), log_path=workdir / "gunicorn.log"
        )
        say(f"starting {model.describe()} on {server.base_url}")
        server.start()
        server.wait_ready(f"/bench/reference/{site['reference_pk']}/")
        scenarios = build_scenarios(server.base_url, site, password)
        if peer_scenario is not None:
            scenarios.append(peer_scenario)
        for scenario in scenarios:
            if scenario.skipped:
                say(f"{scenario.name}: skipped: {scenario.skipped}")
        measure(scenarios, server, knobs)
        rss, rss_end, pss = server.peak_rss_mb(), server.rss_mb(), server.pss_mb()
        server.stop()
        if peer_server is not None:
            peer_info["ghost"].update(peer_server.memory_mb())
            peer_server.stop()

        say("SQL queries per scenario (test client)")
        requests = [
            {"name": s.name, "path": s.path, "headers": s.headers}
            for s in scenarios
            if s.path and not s.skipped and s.server is None
        ]
        queries = django.probe("queries", requests)
        say("meter stores alone")
        meter = django.probe(
            "meter",
            {
                "records": knobs.meter_records,
                "reads_per_reader": 5,
                "max_seconds": 20.0,
                "threads": knobs.meter_threads,
                "redis_url": backends.redis_url,
            },
        )
        results = assemble(
            scenarios=scenarios, knobs=knobs, backends=backends, model=model, rss=rss, pss=pss,
            queries=queries, meter=meter, content=content, notes=notes, accounts=accounts,
            peer_info=peer_info,
        )  # fmt: skip
        results["rss_mb_end_each_worker"] = rss_end
        results["targets"] = targets.evaluate(results)
        if os.environ.get("BENCH_NL_RECIPIENTS", "10000") != "0":  # 0: leave newsletters out
            say("newsletter sending: BENCH_NL_RECIPIENTS (10,000) recipients to a local SMTP sink")
            results["newsletter_throughput"] = newsletter_throughput.run()
            say(f"newsletter sending: {results['newsletter_throughput']}")
        knobs.output.parent.mkdir(parents=True, exist_ok=True)
        knobs.output.write_text(json.dumps(results, indent=2) + "\n")
        chart.draw_chart(results, knobs.output.with_suffix(".png"))
        print_table(results)
        say(f"wrote {knobs.output} and {knobs.output.with_suffix('.png')}")
        return 0
    finally:
        if server is not None:
            server.stop()
        if peer_server is not None:
            peer_server.stop()
        if knobs.keep:
            say(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
