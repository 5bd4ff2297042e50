"""Acceptance 2: a reader with one free article left fires 20 parallel requests for 20 different
metered articles at a running server and gets exactly one full article — for each meter store."""

from __future__ import annotations

import shutil
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from masthead.access.identity import METER_COOKIE
from tests.access.live import LiveSite, build_articles, migrate, running_site
from tests.access.stores import REDIS_TEST_URL, needs_redis

pytestmark = pytest.mark.live

PARALLEL = 20
LIMIT = 3
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[str, str]]]:
    path = tmp_path_factory.mktemp("live") / "template.sqlite3"
    url = f"sqlite:///{path}"
    migrate(url)
    articles = build_articles(url, count=PARALLEL + LIMIT, limit=LIMIT)
    return path, articles


def sqlite_copy(template: Path) -> str:
    target = template.with_name(f"site-{uuid.uuid4().hex}.sqlite3")
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


def read_until_one_left(site: LiveSite, articles: list[tuple[str, str]]) -> str:
    status, body, set_cookie = site.get(articles[0][0])
    assert status == 200 and articles[0][1] in body
    cookie = set_cookie.split(";", 1)[0]
    assert cookie.startswith(f"{METER_COOKIE}=")
    for url, canary in articles[1 : LIMIT - 1]:
        status, body, _ = site.get(url, cookie)
        assert status == 200 and canary in body
    return cookie


def fire_in_parallel(site: LiveSite, cookie: str, articles: list[tuple[str, str]]) -> list[tuple[int, bool]]:
    barrier = threading.Barrier(len(articles))

    def one(article: tuple[str, str]) -> tuple[int, bool]:
        url, canary = article
        barrier.wait(timeout=30)
        status, body, _ = site.get(url, cookie)
        return status, canary in body

    with ThreadPoolExecutor(max_workers=len(articles)) as pool:
        return list(pool.map(one, articles))


def assert_exactly_one_full_article(site: LiveSite, articles: list[tuple[str, str]]) -> None:
    cookie = read_until_one_left(site, articles)
    contested = articles[LIMIT - 1 : LIMIT - 1 + PARALLEL]
    results = fire_in_parallel(site, cookie, contested)
    assert [status for status, _ in results] == [200] * PARALLEL
    assert sum(full for _, full in results) == 1, results
    # Every later article meets the wall; the one that was read can be read again.
    winner = next(a for a, (_, full) in zip(contested, results, strict=True) if full)
    _status, body, _ = site.get(winner[0], cookie)
    assert winner[1] in body
    loser = next(a for a, (_, full) in zip(contested, results, strict=True) if not full)
    _status, body, _ = site.get(loser[0], cookie)
    assert loser[1] not in body and 'data-paywall-state="registration-wall"' in body


def test_database_store_on_sqlite(sqlite_template: tuple[Path, list[tuple[str, str]]]) -> None:
    template, articles = sqlite_template
    with running_site(sqlite_copy(template), MASTHEAD_METER_STORE="database") as site:
        assert_exactly_one_full_article(site, articles)


@needs_redis
def test_redis_store(sqlite_template: tuple[Path, list[tuple[str, str]]]) -> None:
    template, articles = sqlite_template
    with running_site(sqlite_copy(template), MASTHEAD_METER_STORE="redis", REDIS_URL=REDIS_TEST_URL) as site:
        assert_exactly_one_full_article(site, articles)


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


@pytest.fixture
def postgres_database() -> Iterator[str]:
    import psycopg

    if not _postgres_reachable():
        pytest.skip(f"no PostgreSQL server reachable at {PG_ADMIN_URL}")
    name = f"masthead_live_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_database_store_on_postgresql(postgres_database: str) -> None:
    migrate(postgres_database)
    articles = build_articles(postgres_database, count=PARALLEL + LIMIT, limit=LIMIT)
    with running_site(postgres_database, MASTHEAD_METER_STORE="database", workers=3, threads=8) as site:
        assert_exactly_one_full_article(site, articles)
