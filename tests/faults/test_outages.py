"""Fault injection against a real deployment: each dependency is killed under load and restarted.

The deployment is the production recipe's shape — gunicorn (two hosts, 2 + 1 gthread workers),
PostgreSQL, a Redis for the cache and a separate durable Redis for the meter — on servers of this
test's own (tests/faults/servers.py), never the shared ones. While readers of every kind keep
asking (the front page, an anonymous reader whose meter is spent, an anonymous reader of a
subscribers-only article, a subscriber, search, the login form, the apps API), one dependency is
killed (`kill -9`, or PostgreSQL's immediate stop) for a few seconds and started again. Every
reply is checked:

- no 500, ever; every 503 carries Retry-After and is the branded page or the API's JSON;
- no gated sentence to a reader not entitled to it, whatever failed;
- the documented answer for each kind while it is down (cache: everything still served; meter:
  articles fail closed; database: kept public pages served, the rest 503);
- back to normal within 2 s of the dependency answering again;
- the meter's counts survive its Redis being killed and restarted.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.faults import servers
from tests.live.edits import SUBSCRIBER_EMAIL
from tests.live.harness import Configuration, Deployment, deployment

pytestmark = [
    pytest.mark.skipif(bool(servers.available()), reason=servers.available() or "ok"),
    # It brings its own PostgreSQL and Redis, so one leg of `make test` is enough: the SQLite one,
    # which always runs.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="runs in the SQLite leg"
    ),
    pytest.mark.live,
]

OUTAGE_SECONDS = 4.0
AFTER_SECONDS = 4.0
RECOVERY_LIMIT = 2.0
LOAD_THREADS = 6
MAX_REQUESTS = 4000  # per phase, whatever the timing


@dataclass
class Site:
    deployment: Deployment
    postgres: servers.PostgresServer
    cache_redis: servers.RedisServer
    meter_redis: servers.RedisServer
    device_token: str
    subscriber_cookie: str

    @property
    def articles(self) -> dict[str, Any]:
        return self.deployment.data["articles"]

    def url(self, path: str, i: int = 0) -> str:
        hosts = self.deployment.hosts
        return hosts[i % len(hosts)].base_url + path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("faults")
    postgres = servers.PostgresServer(tmp)
    cache_redis = servers.RedisServer(tmp, durable=False)  # a cache may lose everything
    meter_redis = servers.RedisServer(tmp, durable=True, policy="noeviction")
    try:
        config = Configuration(
            "faults",
            postgres.create_database("masthead_faults"),
            {
                "REDIS_URL": cache_redis.url,
                "MASTHEAD_METER_STORE": "redis",
                "MASTHEAD_METER_REDIS_URL": meter_redis.url,
                "MASTHEAD_METER_REQUIRE_DURABLE": "1",
            },
        )
        with deployment(config, tmp) as live:
            device = requests.post(
                live.hosts[0].base_url + "/api/v1/auth/device",
                json={"device_name": "Fault-test tablet"},
                timeout=30,
            )
            assert device.status_code == 201, device.text
            token = device.json()["token"]
            yield Site(live, postgres, cache_redis, meter_redis, token, live.sign_in(SUBSCRIBER_EMAIL))
    finally:
        meter_redis.stop()
        cache_redis.stop()
        postgres.close()


def spend_meter(site: Site, reads: int) -> str:
    """A new anonymous reader who has read `reads` metered articles; their Cookie header."""
    session = requests.Session()
    for article in site.articles["metered"][:reads]:
        page = session.get(site.url(article["url"]), timeout=30)
        assert page.status_code == 200 and article["canary"] in page.text, "a free read is shown whole"
    return "; ".join(f"{c.name}={c.value}" for c in session.cookies)


# -- what each reader asks, and what they may be shown ---------------------------------------


@dataclass(frozen=True)
class Kind:
    name: str
    path: str
    cookie: str = ""
    token: str = ""
    forbidden: str = ""  # a gated sentence this reader must never receive
    expected: str = ""  # a sentence this reader must receive on a normal 200


def kinds(site: Site, walled_cookie: str) -> list[Kind]:
    metered = site.articles["metered"]
    subscribers_only = site.articles["subscriber_only"]
    return [
        Kind("front page", "/"),
        Kind("spent meter", metered[4]["url"], cookie=walled_cookie, forbidden=metered[4]["canary"]),
        Kind("anonymous, subscribers-only", subscribers_only["url"], forbidden=subscribers_only["canary"]),
        Kind(
            "subscriber",
            subscribers_only["url"],
            cookie=site.subscriber_cookie,
            expected=subscribers_only["canary"],
        ),
        Kind("search", "/search/?q=minister"),
        Kind("login form", "/accounts/login/"),
        Kind(
            "apps API",
            f"/api/v1/articles/{subscribers_only['id']}",
            token=site.device_token,
            forbidden=subscribers_only["canary"],
        ),
    ]


@dataclass
class Reply:
    kind: Kind
    started: float
    ended: float
    status: int
    body: str
    headers: dict[str, str]


def ask(site: Site, kind: Kind, i: int) -> Reply:
    headers = {"Connection": "close", "X-Live-Probe": secrets.token_hex(4)}
    if kind.cookie:
        headers["Cookie"] = kind.cookie
    if kind.token:
        headers["Authorization"] = f"Bearer {kind.token}"
    started = time.monotonic()
    try:
        r = requests.get(site.url(kind.path, i), headers=headers, timeout=15, allow_redirects=False)
        status, body, got = r.status_code, r.text, dict(r.headers)
    except requests.RequestException as exc:
        status, body, got = 0, repr(exc), {}
    return Reply(kind, started, time.monotonic(), status, body, got)


def under_load(
    site: Site, walled_cookie: str, fault: Callable[[], None], heal: Callable[[], None]
) -> dict[str, Any]:
    """Readers ask without pause; `fault` at 1 s, `heal` after OUTAGE_SECONDS, then AFTER_SECONDS more."""
    replies: list[Reply] = []
    lock = threading.Lock()
    stop = threading.Event()
    every = kinds(site, walled_cookie)
    counter = iter(range(MAX_REQUESTS))

    def reader(n: int) -> None:
        for i in counter:
            if stop.is_set():
                return
            reply = ask(site, every[(i + n) % len(every)], i)
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1.0)
        down_at = time.monotonic()
        fault()
        time.sleep(OUTAGE_SECONDS)
        heal()
        healed_at = time.monotonic()
        time.sleep(AFTER_SECONDS)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return {"replies": replies, "down_at": down_at, "healed_at": healed_at}


# -- the checks every phase shares -----------------------------------------------------------


def check_every_reply(replies: list[Reply]) -> None:
    assert replies, "the load produced no replies"
    errors = [(r.kind.name, r.status, r.body[:200]) for r in replies if r.status >= 500 and r.status != 503]
    assert not errors, f"{len(errors)} server errors: {errors[:5]}"
    dropped = [(r.kind.name, r.body[:200]) for r in replies if r.status == 0]
    assert not dropped, f"{len(dropped)} requests got no answer: {dropped[:3]}"
    leaks = [r.kind.name for r in replies if r.kind.forbidden and r.kind.forbidden in r.body]
    assert not leaks, f"gated text reached unentitled readers: {leaks[:5]}"
    for r in replies:
        if r.status == 503:
            assert r.headers.get("Retry-After"), r.kind.name
            if r.kind.token:
                assert json.loads(r.body)["code"] in {"unavailable", "meter_unavailable"}, r.body
            else:
                assert "We will be back in a moment" in r.body, r.body[:300]


def normal(reply: Reply) -> bool:
    if reply.status != 200:
        return False
    return not reply.kind.expected or reply.kind.expected in reply.body


def recovery_seconds(run: dict[str, Any]) -> float:
    """From the dependency answering again to the last reply that was not normal."""
    after = [r for r in run["replies"] if r.started >= run["healed_at"]]
    assert len(after) > 20, "too few requests after the restart to judge recovery"
    late = [r.ended - run["healed_at"] for r in after if not normal(r)]
    return max(late, default=0.0)


def during(run: dict[str, Any]) -> list[Reply]:
    # Requests made while the dependency was down (a margin either side for in-flight ones).
    return [r for r in run["replies"] if run["down_at"] + 0.3 <= r.started and r.ended <= run["healed_at"]]


def summary(replies: list[Reply]) -> dict[str, dict[int, int]]:
    table: dict[str, dict[int, int]] = {}
    for r in replies:
        table.setdefault(r.kind.name, {}).setdefault(r.status, 0)
        table[r.kind.name][r.status] += 1
    return table


# -- the phases ---------------------------------------------------------------------------------


def test_the_cache_redis_dies_and_every_reader_is_still_served(site: Site, record_property):
    walled = spend_meter(site, 3)
    run = under_load(site, walled, site.cache_redis.kill, site.cache_redis.start)
    check_every_reply(run["replies"])
    down = during(run)
    record_property("cache outage", summary(run["replies"]))
    assert len(down) > 20
    not_served = [(r.kind.name, r.status) for r in down if not normal(r)]
    assert not not_served, f"with the cache down everything is served from the database: {not_served[:5]}"
    assert recovery_seconds(run) <= RECOVERY_LIMIT
    # And the page cache works again: the front page is kept and served from Redis.
    front = [requests.get(site.url("/"), timeout=15).headers.get("X-Page-Cache") for _ in range(3)]
    assert "hit" in front


def test_the_meter_redis_dies_articles_fail_closed_and_its_counts_survive(site: Site, record_property):
    walled = spend_meter(site, 3)
    two_reads = spend_meter(site, 2)
    run = under_load(site, walled, site.meter_redis.kill, site.meter_redis.start)
    check_every_reply(run["replies"])
    record_property("meter outage", summary(run["replies"]))
    down = during(run)
    assert len(down) > 20
    # Pages that do not count reads are untouched; the subscriber needs no meter.
    for r in down:
        if r.kind.name in ("front page", "search", "login form", "subscriber"):
            assert normal(r), (r.kind.name, r.status)
    assert recovery_seconds(run) <= RECOVERY_LIMIT

    # The counts came back with the server: the reader with two reads has exactly one left.
    metered = site.articles["metered"]
    session = requests.Session()
    third = session.get(site.url(metered[2]["url"]), headers={"Cookie": two_reads}, timeout=30)
    assert metered[2]["canary"] in third.text, "the third of three free articles is shown whole"
    cookie = "; ".join(filter(None, [two_reads, *(f"{c.name}={c.value}" for c in session.cookies)]))
    fourth = requests.get(site.url(metered[3]["url"]), headers={"Cookie": cookie}, timeout=30)
    assert fourth.status_code == 200
    assert metered[3]["canary"] not in fourth.text, "the meter forgot reads across the restart"
    again = requests.get(site.url(metered[4]["url"]), headers={"Cookie": walled}, timeout=30)
    assert metered[4]["canary"] not in again.text


def test_the_database_dies_public_pages_stay_and_the_rest_is_a_503(site: Site, record_property):
    walled = spend_meter(site, 3)
    for _ in range(2):  # the front page is kept for anonymous readers before the outage
        requests.get(site.url("/"), timeout=15)
    run = under_load(site, walled, site.postgres.stop, site.postgres.start)
    check_every_reply(run["replies"])
    record_property("database outage", summary(run["replies"]))
    down = during(run)
    assert len(down) > 20
    front = [r for r in down if r.kind.name == "front page"]
    assert front and all(r.status == 200 for r in front), "kept public pages are served without the database"
    others = [r for r in down if r.kind.name != "front page"]
    assert {r.status for r in others} <= {200, 503}
    assert any(r.status == 503 for r in others), "nothing needed the database: the test saw no outage"
    # The app's reader: its token and account are kept in Redis and the article by each worker
    # (masthead.access.reader_state), so the app may still be served its walled article (never the
    # gated text: check_every_reply); what needed the database is a 503 the app can read.
    api = [r for r in down if r.kind.token]
    assert api, "the app asked nothing during the outage"
    assert all(r.status == 200 or json.loads(r.body)["code"] == "unavailable" for r in api)
    assert recovery_seconds(run) <= RECOVERY_LIMIT
