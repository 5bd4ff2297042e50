"""Starting and stopping an experiment reaches every worker of every host at once.

A real deployment (tests/live/harness.py: two gunicorn hosts, three workers, one database and
shared cache). Fresh readers open a metered article before, right after the start and right after
the stop; the start and stop are made by another process. Every reply is searched for the article's
canary sentence, which stands only in its gated part.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.harness import (
    PYTHON,
    ROOT,
    Deployment,
    Reply,
    deployment,
    embedded,
    postgres_reachable,
    postgres_redis,
    redis_reachable,
    server_env,
)

pytestmark = [pytest.mark.live]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deployment, dict[str, str]]]:
    tmp: Path = tmp_path_factory.mktemp("live-experiments")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        if not (postgres_reachable() and redis_reachable()):
            pytest.skip("PostgreSQL or Redis is not reachable on 127.0.0.1")
        config = postgres_redis(tmp)
    else:
        config = embedded(tmp)
    with deployment(config, tmp) as site:
        yield site, server_env(config, tmp)


def edit(env: dict[str, str], name: str) -> None:
    subprocess.run(
        [PYTHON, "-m", "tests.analytics.experiments.live_edits", name],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def whole(replies: list[Reply], canary: str) -> int:
    return sum(r.shows(canary) for r in replies)


def test_an_experiment_started_and_stopped_elsewhere_is_obeyed_by_every_worker(
    live: tuple[Deployment, dict[str, str]],
) -> None:
    site, env = live
    story = site.data["articles"]["metered"][0]
    edit(env, "open_to_fresh_readers")
    before = site.read(story["url"], n=30)
    workers = site.workers_that_answered(before)
    assert len(workers) >= 2 and {w.split(":")[0] for w in workers} == {"host-a", "host-b"}, workers
    assert whole(before, story["canary"]) == 30  # every worker keeps the no-experiment rule now

    edit(env, "start")
    during = site.read(story["url"], n=20)
    assert len(site.workers_that_answered(during)) >= 2
    assert whole(during, story["canary"]) == 0
    assert all('data-paywall-state="registration-wall"' in r.body for r in during)

    edit(env, "stop")
    after = site.read(story["url"], n=20)
    assert whole(after, story["canary"]) == 20
