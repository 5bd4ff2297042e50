"""A Redis meter store that could forget reads refuses to start in production (warns elsewhere)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from masthead.access import meter_durability
from tests.faults import servers
from tests.live.harness import ROOT

pytestmark = [
    pytest.mark.skipif(bool(servers.available()), reason=servers.available() or "ok"),
    # Its own Redis servers: one leg of `make test` is enough (the SQLite one, which always runs).
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite leg"
    ),
]


def start_web_app(env_changes: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Load the WSGI application as gunicorn would, with production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="s" * 20 + "production-like-secret-for-the-durability-test-only",
        PYTHONPATH=str(ROOT),
        **env_changes,
    )
    return subprocess.run(
        [sys.executable, "-c", "import config.wsgi; print('started')"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_production_refuses_a_meter_redis_without_an_append_only_file(tmp_path: Path):
    volatile = servers.RedisServer(tmp_path, durable=False)
    try:
        started = start_web_app({"MASTHEAD_METER_STORE": "redis", "MASTHEAD_METER_REDIS_URL": volatile.url})
    finally:
        volatile.stop()
    assert started.returncode != 0
    assert "started" not in started.stdout
    assert "The Redis meter store is not durable" in started.stderr
    assert "appendonly no" in started.stderr


def test_production_refuses_an_evicting_meter_redis(tmp_path: Path):
    evicting = servers.RedisServer(tmp_path, durable=True, maxmemory="16mb", policy="allkeys-lru")
    try:
        started = start_web_app({"MASTHEAD_METER_STORE": "redis", "MASTHEAD_METER_REDIS_URL": evicting.url})
    finally:
        evicting.stop()
    assert started.returncode != 0
    assert "'allkeys-lru', not 'noeviction'" in started.stderr


def test_production_starts_on_a_durable_meter_redis(tmp_path: Path):
    durable = servers.RedisServer(tmp_path, durable=True, maxmemory="16mb", policy="noeviction")
    try:
        started = start_web_app({"MASTHEAD_METER_STORE": "redis", "MASTHEAD_METER_REDIS_URL": durable.url})
    finally:
        durable.stop()
    assert started.returncode == 0, started.stderr[-2000:]
    assert "started" in started.stdout


def test_the_database_meter_store_needs_no_redis_check(settings):
    settings.MASTHEAD_METER_STORE = "database"
    assert meter_durability.durability_problems() == []


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ({"aof_enabled": 1, "maxmemory_policy": "noeviction"}, []),
        ({"aof_enabled": 0, "maxmemory_policy": "noeviction"}, ["append-only"]),
        ({"aof_enabled": 1, "maxmemory_policy": "volatile-lru"}, ["volatile-lru"]),
        ({"aof_enabled": 1, "maxmemory_policy": "allkeys-lru"}, ["allkeys-lru"]),
        ({}, ["append-only", "unknown"]),
    ],
)
def test_what_counts_as_unsafe(info, expected):
    problems = meter_durability.problems_of(info)
    assert len(problems) == len(expected)
    for problem, word in zip(problems, expected, strict=True):
        assert word in problem


def test_a_meter_sharing_the_cache_redis_is_told_to_move(settings, tmp_path: Path):
    shared = servers.RedisServer(tmp_path, durable=False)
    try:
        settings.MASTHEAD_METER_STORE = "redis"
        settings.REDIS_URL = shared.url
        settings.MASTHEAD_METER_REDIS_URL = ""
        problems = meter_durability.durability_problems()
    finally:
        shared.stop()
    assert any("its own" in p for p in problems)
