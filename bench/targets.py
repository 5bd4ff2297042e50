"""Issue 16's targets, read from one run's results: each with what was measured and met / missed
(or "not run" when the run could not measure it, e.g. the Ghost peer without BENCH_PEERS=ghost).

Pure: it reads the results dict `bench/run.py` writes and nothing else, so it is tested on made-up
results (tests/bench/test_targets.py) and the same table goes to the console and the results file.
"""

from __future__ import annotations

import statistics
from typing import Any

MET, MISSED, NOT_RUN = "met", "missed", "not run"

GHOST_FACTOR = 10.0  # anonymous metered article >= 10 x Ghost's public post, side by side
WITHIN = 0.20  # signed-in and app paths at least 80 % of the anonymous metered ratio
P99_MS = 50.0  # every article scenario, at the bench's connections (32)
PUBLIC_PAGE_RPS = 3000.0  # front and section pages
RSS_MB = 120.0  # per worker
ANALYTICS_COST = 0.05  # issue 14: recording the view costs the anonymous metered ratio at most 5 %

# The scenarios that serve an article (web or API), whose p99 the target bounds.
ARTICLE_SCENARIOS = [
    "anonymous_metered",
    "anonymous_metered_br",
    "anonymous_metered_gzip",
    "registered_metered",
    "subscriber_article",
    "anonymous_walled",
    "api_article",
]
# Compared with the anonymous metered article's ratio to the bare view.
SIGNED_IN_PATHS = {
    "registered_metered": "registered reader's article",
    "subscriber_article": "subscriber's article",
    "api_article": "app API article (subscriber)",
}


def _row(target: str, measured: str, status: str) -> dict[str, str]:
    return {"target": target, "measured": measured, "status": status}


def _scenario(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The scenario's row when it ran, else None."""
    for row in results.get("scenarios") or []:
        if row.get("name") == name and row.get("rps") is not None:
            return row
    return None


def _skipped(results: dict[str, Any], name: str) -> str:
    for row in results.get("scenarios") or []:
        if row.get("name") == name:
            return f"{name} skipped: {row.get('skipped') or 'no run'}"
    return f"{name} not in this run"


def _ghost(results: dict[str, Any]) -> dict[str, str]:
    target = f"anonymous metered article >= {GHOST_FACTOR:.0f}x Ghost's public post, side by side"
    ghost = (results.get("peers") or {}).get("ghost") or {}
    anonymous = _scenario(results, "anonymous_metered")
    if ghost.get("rps") is None:
        return _row(target, ghost.get("skipped") or "BENCH_PEERS=ghost not asked", NOT_RUN)
    if anonymous is None:
        return _row(target, _skipped(results, "anonymous_metered"), NOT_RUN)
    if not ghost["rps"]:
        return _row(target, "Ghost answered no request within a run (a longer BENCH_SECONDS?)", NOT_RUN)
    factor = anonymous["rps"] / ghost["rps"]
    measured = (
        f"{factor:.1f}x ({anonymous['rps']:,.0f} / {ghost['rps']:,.0f} req/s; "
        f"Ghost p99 {ghost.get('p99_ms') or 0:.0f} ms, "
        f"{ghost.get('cpu_ms_per_request') or 0:.1f} ms CPU/page"
        + (
            f", {ghost['peer_cpu_over_masthead']:.1f}x Masthead's"
            if ghost.get("peer_cpu_over_masthead")
            else ""
        )
        + ")"
    )
    return _row(target, measured, MET if factor >= GHOST_FACTOR else MISSED)


def _within(results: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    anonymous = _scenario(results, "anonymous_metered")
    for name, label in SIGNED_IN_PATHS.items():
        target = f"{label} within {WITHIN * 100:.0f} % of the anonymous metered ratio"
        row = _scenario(results, name)
        if anonymous is None or row is None or not anonymous.get("ratio") or row.get("ratio") is None:
            missing = "anonymous_metered" if anonymous is None or not anonymous.get("ratio") else name
            rows.append(_row(target, _skipped(results, missing), NOT_RUN))
            continue
        share = row["ratio"] / anonymous["ratio"]
        measured = f"{row['ratio']:.2f} vs {anonymous['ratio']:.2f} ({share:.0%})"
        rows.append(_row(target, measured, MET if share >= 1 - WITHIN else MISSED))
    return rows


def _api_vs_web(results: dict[str, Any]) -> dict[str, str]:
    target = "API article no slower than the web article, same reader (subscriber)"
    api, web = _scenario(results, "api_article"), _scenario(results, "subscriber_article")
    if api is None or web is None:
        missing = "api_article" if api is None else "subscriber_article"
        return _row(target, _skipped(results, missing), NOT_RUN)
    measured = f"{api['rps']:,.0f} vs {web['rps']:,.0f} req/s ({api['rps'] / web['rps']:.0%})"
    return _row(target, measured, MET if api["rps"] >= web["rps"] else MISSED)


def _p99(results: dict[str, Any]) -> list[dict[str, str]]:
    connections = (results.get("load") or {}).get("connections", "?")
    rows = []
    for name in ARTICLE_SCENARIOS:
        target = f"p99 <= {P99_MS:.0f} ms at {connections} connections: {name}"
        row = _scenario(results, name)
        if row is None or row.get("p99_ms") is None:
            rows.append(_row(target, _skipped(results, name), NOT_RUN))
            continue
        rows.append(_row(target, f"{row['p99_ms']:.0f} ms", MET if row["p99_ms"] <= P99_MS else MISSED))
    return rows


def _public_pages(results: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for name, label in (("front_page", "front page"), ("section_page", "section page")):
        target = f"{label} >= {PUBLIC_PAGE_RPS:,.0f} req/s"
        row = _scenario(results, name)
        if row is None:
            rows.append(_row(target, _skipped(results, name), NOT_RUN))
            continue
        status = MET if row["rps"] >= PUBLIC_PAGE_RPS else MISSED
        rows.append(_row(target, f"{row['rps']:,.0f} req/s", status))
    return rows


def _memory(results: dict[str, Any]) -> dict[str, str]:
    target = f"<= {RSS_MB:.0f} MB RSS per worker (PSS beside it)"
    rss = results.get("rss_mb_each_worker") or []
    pss = results.get("pss_mb_each_worker") or []
    if not rss:
        return _row(target, "no worker measured", NOT_RUN)
    measured = f"peak RSS {max(rss):.0f} MB (each {', '.join(f'{value:.0f}' for value in rss)})"
    end = results.get("rss_mb_end_each_worker") or []
    if end:
        measured += f"; at the end {', '.join(f'{value:.0f}' for value in end)}"
    if pss:
        measured += f"; PSS {max(pss):.0f} MB (each {', '.join(f'{value:.0f}' for value in pss)})"
    return _row(target, measured, MET if max(rss) <= RSS_MB else MISSED)


def _analytics(results: dict[str, Any]) -> dict[str, str]:
    """Issue 14: the same server, the same article and meter, with and without the view's event.

    Judged on the rounds' pairs (the two run back to back, in alternating order): the median of
    "recorded / unrecorded" req/s, so a noisy minute moves both sides of a pair alike."""
    target = f"issue 14: recording the view costs the anonymous metered ratio <= {ANALYTICS_COST:.0%}"
    recorded = _scenario(results, "anonymous_metered")
    unrecorded = _scenario(results, "anonymous_metered_unrecorded")
    if recorded is None or unrecorded is None or not recorded.get("ratio") or not unrecorded.get("ratio"):
        missing = "anonymous_metered" if recorded is None else "anonymous_metered_unrecorded"
        return _row(target, _skipped(results, missing), NOT_RUN)
    details = results.get("scenario_details") or {}
    rounds = [
        a / b
        for a, b in zip(
            (details.get("anonymous_metered") or {}).get("runs_rps") or [],
            (details.get("anonymous_metered_unrecorded") or {}).get("runs_rps") or [],
            strict=False,
        )
        if b
    ]
    if rounds:
        cost = 1 - statistics.median(rounds)
        measured = f"{cost:+.1%} (median of rounds {', '.join(f'{r:.2f}' for r in rounds)})"
    else:
        cost = 1 - recorded["ratio"] / unrecorded["ratio"]
        measured = f"{recorded['ratio']:.3f} vs {unrecorded['ratio']:.3f} unrecorded ({cost:+.1%})"
    cpu, cpu_unrecorded = recorded.get("cpu_ms_per_request"), unrecorded.get("cpu_ms_per_request")
    if cpu and cpu_unrecorded:
        measured += f"; CPU {cpu:.2f} vs {cpu_unrecorded:.2f} ms"
    return _row(target, measured, MET if cost <= ANALYTICS_COST else MISSED)


def evaluate(results: dict[str, Any]) -> list[dict[str, str]]:
    """Every target of issue 16, in the issue's order, then issue 14's recording cost."""
    return [
        _ghost(results),
        *_within(results),
        _api_vs_web(results),
        *_p99(results),
        *_public_pages(results),
        _memory(results),
        _analytics(results),
    ]


def format_table(rows: list[dict[str, str]]) -> str:
    width = max(len(row["target"]) for row in rows)
    measured_width = max(len(row["measured"]) for row in rows)
    header = f"{'target':<{width}}  {'measured':<{measured_width}}  status"
    lines = [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row['target']:<{width}}  {row['measured']:<{measured_width}}  {row['status']}")
    met = sum(row["status"] == MET for row in rows)
    missed = sum(row["status"] == MISSED for row in rows)
    lines.append(f"{met} met, {missed} missed, {len(rows) - met - missed} not run")
    return "\n".join(lines)
