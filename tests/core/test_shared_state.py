"""Shared state lives where every worker reads it, or the site refuses to start (see
masthead.core.shared_state); the database cache that stands in for Redis counts exactly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from masthead.core.shared_state import problems

ROOT = Path(__file__).resolve().parents[2]
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

# Both counters start on the same second (after Django has loaded in each) so they really overlap.
COUNT_SCRIPT = """
import time
from django.core.cache import cache
cache.add("live-counter", 0, 600)
while time.time() < {start}:
    time.sleep(0.002)
for _ in range({n}):
    cache.incr("live-counter")
"""


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))}
    return {**base, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1", **extra}


def manage(*args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env(**extra), capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_a_per_process_cache_is_named_as_the_problem() -> None:
    found = problems(caches={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
                     session_engine="django.contrib.sessions.backends.db")  # fmt: skip
    assert len(found) == 1 and "LocMemCache" in found[0] and "REDIS_URL" in found[0]


def test_cache_only_sessions_are_refused_and_the_shared_stores_pass() -> None:
    shared = {"default": {"BACKEND": "masthead.core.shared_cache.SharedDatabaseCache"}}
    redis = {"default": {"BACKEND": "masthead.core.redis_cache.RedisCache"}}
    assert problems(caches=shared, session_engine="django.contrib.sessions.backends.db") == []
    assert problems(caches=redis, session_engine="django.contrib.sessions.backends.cached_db") == []
    assert problems(caches=redis, session_engine="django.contrib.sessions.backends.cache")


def test_production_without_redis_shares_the_database_cache() -> None:
    shown = subprocess.run(
        [sys.executable, "-c",
         "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=env(DJANGO_SETTINGS_MODULE="config.settings.production", SECRET_KEY=secrets.token_urlsafe(60),
                MASTHEAD_DEMO="0"),
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "masthead.core.shared_cache.SharedDatabaseCache"


def test_check_reports_a_per_process_cache(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    done = manage("check", DJANGO_SETTINGS_MODULE="tests.core.process_cache_settings",
                  DATABASE_URL=database, MASTHEAD_VAR_DIR=str(tmp_path))  # fmt: skip
    assert done.returncode != 0
    assert "masthead.E001" in done.stderr and "LocMemCache" in done.stderr


def _count_in_two_processes(database_url: str, tmp_path: Path) -> int:
    settings = {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "DATABASE_URL": database_url,
                "MASTHEAD_VAR_DIR": str(tmp_path)}  # fmt: skip
    made = manage("createcachetable", **settings)
    assert made.returncode == 0, made.stderr
    start = time.time() + 10
    counters = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", COUNT_SCRIPT.format(n=600, start=start)],
            cwd=ROOT,
            env=env(**settings),
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for counter in counters:
        _, errors = counter.communicate(timeout=300)
        assert counter.returncode == 0, errors
    read = manage(
        "shell", "-c", "from django.core.cache import cache; print(cache.get('live-counter'))", **settings
    )
    return int(read.stdout.strip().splitlines()[-1])


@pytest.mark.live
def test_two_processes_counting_at_once_lose_nothing_on_sqlite(tmp_path: Path) -> None:
    assert _count_in_two_processes(f"sqlite:///{tmp_path / 'shared.sqlite3'}", tmp_path) == 1200


@pytest.mark.live
def test_two_processes_counting_at_once_lose_nothing_on_postgresql(tmp_path: Path) -> None:
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    name = f"masthead_counter_{secrets.token_hex(4)}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        assert _count_in_two_processes(f"{PG_SERVER}/{name}", tmp_path) == 1200
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_a_new_generation_empties_this_workers_renditions_cache(settings: Any) -> None:
    # given: a worker that kept a rendition while serving generation 1
    from django.core.cache import caches

    renditions = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "renditions-test"}
    settings.CACHES = {**settings.CACHES, "renditions": renditions}
    from django.test import RequestFactory

    from masthead.core.generation import remember_generation

    remember_generation(RequestFactory().get("/"), 1)
    caches["renditions"].set("image-7-fill-800x450", "old rendition")
    remember_generation(RequestFactory().get("/"), 1)
    assert caches["renditions"].get("image-7-fill-800x450") == "old rendition"

    # when: a request brings the generation another worker started with an edit
    remember_generation(RequestFactory().get("/"), 2)

    # then: the kept rendition is gone (Wagtail looks it up afresh)
    assert caches["renditions"].get("image-7-fill-800x450") is None
