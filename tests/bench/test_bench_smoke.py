"""`make bench` in miniature: the whole harness for one second a scenario against SQLite.

It checks the shape of the results a reviewer reads and that every scenario that ran served real
pages; it never judges the speed (the machine is shared, so absolute figures mean nothing here).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import migrated

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = {
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
}
# Each compressed scenario, the plain one it is compared with and the coding it must be served in.
COMPRESSED = {
    "anonymous_metered_br": ("anonymous_metered", "br"),
    "anonymous_metered_gzip": ("anonymous_metered", "gzip"),
    "front_page_br": ("front_page", "br"),
}


@pytest.mark.live
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the smoke always runs against its own SQLite database: once, in the SQLite leg, is enough",
)
def test_bench_harness_measures_every_scenario_against_the_reference(tmp_path: Path) -> None:
    output = tmp_path / "results" / "latest.json"
    # The session's migrated database (tests/migrated.py), so the harness copies it instead of
    # running every migration again; `make bench` itself still migrates.
    migrated_db = tmp_path / "migrated.sqlite3"
    migrated.sqlite_copy(migrated_db)
    env = {
        **os.environ,
        # wrk's shortest run (bench/wrk.py rounds to whole seconds, at least 1): the smoke checks
        # the harness, not the figures, and each second is ~2 s of CPU per scenario on 2 workers.
        "BENCH_SECONDS": "1",
        "BENCH_RUNS": "1",
        "BENCH_WARMUP": "0",
        "BENCH_CONNECTIONS": "8",
        "BENCH_WORKERS": "2",
        "BENCH_DATABASE": "sqlite",
        "BENCH_REDIS": "off",
        "BENCH_METER_RECORDS": "100",
        # Newsletter sending has its own bench (bench/newsletter_throughput.py) and tests.
        "BENCH_NL_RECIPIENTS": "0",
        # The bench's own small publication: seconds to build, where the illustrated demo takes a
        # minute on a busy machine. `make bench` itself uses build_demo.
        "BENCH_CONTENT": "fallback",
        "BENCH_OUTPUT": str(output),
        "BENCH_MIGRATED_SQLITE": str(migrated_db),
        # The smoke serves reader pages and the API, never the Django or Wagtail admin nor the API
        # docs: collecting (hashing, compressing) their ~1,100 assets was most of its CPU. A page
        # that needed one would answer 500 and be skipped, which the assertions below refuse.
        "BENCH_STATIC_IGNORE": "admin wagtailadmin ninja",
    }
    env.pop("BENCH_PORT", None)
    # No peer asked for: Ghost is neither installed nor started, and its target says "not run".
    env.pop("BENCH_PEERS", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    results = json.loads(output.read_text())
    assert {"database", "meter_store", "workers", "reference_rps", "rss_mb_per_worker", "scenarios"} <= set(
        results
    )
    assert results["database"].startswith("SQLite")
    assert results["meter_store"] == "database"
    assert results["reference_rps"] > 0
    assert results["rss_mb_per_worker"] > 0
    assert {row["name"] for row in results["scenarios"]} == SCENARIOS
    ran = [row for row in results["scenarios"] if not row.get("skipped")]
    assert ran, "every scenario was skipped"
    # Every page answered 200 before its load, with the static files the smoke collected.
    assert len(ran) == len(SCENARIOS), [
        (row["name"], row["skipped"]) for row in results["scenarios"] if row.get("skipped")
    ]
    for row in ran:
        assert {"name", "rps", "p50_ms", "p99_ms", "ratio"} <= set(row)
        assert row["rps"] > 0, row
        assert row["ratio"] == pytest.approx(row["rps"] / results["reference_rps"], rel=0.01)
        # wrk counts redirects as successes; the harness must not have measured one.
        assert results["scenario_details"][row["name"]]["non_200_responses"] == 0, row
    for row in results["scenarios"]:
        if row.get("skipped"):
            assert row["rps"] is None and row["ratio"] is None
    # Compression on and off from the same server: the plain scenarios got the page uncompressed
    # (wrk asks for no coding), their compressed twins in the coding they asked for, fewer bytes.
    details = results["scenario_details"]
    for name, (plain, encoding) in COMPRESSED.items():
        assert details[name]["path"] == details[plain]["path"]
        assert details[plain]["checks"]["content_encoding"] is None, plain
        assert details[name]["checks"]["content_encoding"] == encoding, name
        assert details[name]["checks"]["bytes_on_wire"] < details[plain]["checks"]["bytes_on_wire"] / 2
        assert "warning" not in details[name]["checks"], details[name]["checks"]
        entry = results["compression"][name]
        assert entry["plain_scenario"] == plain
        assert entry["bytes_compressed"] == details[name]["checks"]["bytes_on_wire"]
        assert entry["page"]["plain_bytes"] > entry["page"]["br_bytes"]
        assert len(entry["throughput_kept_by_round"]) == 1
    # Compressed, the metered article still mints a new reader with every response.
    metered_br = details["anonymous_metered_br"]
    assert metered_br["responses"] > 0
    assert metered_br["responses_with_set_cookie"] == metered_br["responses"]
    assert output.with_suffix(".png").read_bytes().startswith(b"\x89PNG")
    # The table a reviewer reads, with its ratio column.
    assert "ratio" in done.stdout and "reference (bare view)" in done.stdout
    # Issue 16's targets, in the results file and printed, each met, missed or not run; the Ghost
    # peer was not asked for, so it did not run and its target is not judged.
    assert results["peers"]["ghost"]["skipped"].startswith("not run")
    assert "starting Ghost" not in done.stdout and "npm" not in done.stdout
    statuses = {row["target"]: row["status"] for row in results["targets"]}
    assert {"met", "missed", "not run"} >= set(statuses.values())
    ghost_target = next(target for target in statuses if "Ghost" in target)
    assert statuses[ghost_target] == "not run"
    assert "Issue 16 targets" in done.stdout and ghost_target in done.stdout
