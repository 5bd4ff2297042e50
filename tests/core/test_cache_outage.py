"""The Redis cache going away is an outage the site rides out: misses, skipped writes, owed deletes.

Against a redis-server of the test's own (tests/faults/servers.py), killed and restarted.
"""

from __future__ import annotations

import contextlib
import logging
import time
from pathlib import Path

import pytest

from masthead.core import redis_cache
from masthead.core.redis_cache import CacheUnavailable, RedisCache
from tests.faults import servers

pytestmark = pytest.mark.skipif(bool(servers.available()), reason=servers.available() or "ok")


@pytest.fixture
def redis_server(tmp_path: Path):
    server = servers.RedisServer(tmp_path, durable=True)
    yield server
    server.stop()


def backend(server: servers.RedisServer) -> RedisCache:
    return RedisCache(server.url, {"KEY_PREFIX": "outage-test"})


def wait_past_retry_window() -> None:
    time.sleep(redis_cache.RETRY_SECONDS + 0.05)


def test_reads_miss_writes_skip_and_counters_refuse_while_redis_is_down(redis_server, caplog):
    cache = backend(redis_server)
    cache.set("headline", "kept")
    assert cache.get("headline") == "kept"

    redis_server.kill()
    caplog.set_level(logging.WARNING, logger="masthead.cache")
    started = time.monotonic()
    for _ in range(50):
        assert cache.get("headline", "fallback") == "fallback"
        assert cache.get_many(["headline", "other"]) == {}
        assert cache.add("new", 1) is False
        cache.set("new", 1)  # no exception
        assert cache.has_key("headline") is False
        with pytest.raises(CacheUnavailable):
            cache.incr("counter")
    # 300 calls during the outage cost (almost) nothing: no connection attempt per call.
    assert time.monotonic() - started < 2.0
    assert cache.is_down()
    outage_lines = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(outage_lines) == 1, "an outage is logged once, not once per request"


def test_a_delete_missed_in_the_outage_happens_when_redis_answers(redis_server, caplog):
    cache = backend(redis_server)
    cache.set("session:signed-out-reader", {"user": 7}, None)
    redis_server.kill()
    assert cache.delete("session:signed-out-reader") is False  # could not: owed

    redis_server.start()  # the append-only file brings the session back with the server
    wait_past_retry_window()
    caplog.set_level(logging.WARNING, logger="masthead.cache")
    # The first call after the outage settles what was owed before it answers.
    assert cache.get("session:signed-out-reader") is None
    assert not cache.is_down()
    assert any("answers again" in r.getMessage() for r in caplog.records)


def test_recovery_starts_a_new_generation_in_this_process(redis_server, monkeypatch):
    cache = backend(redis_server)
    seen: list[str] = []
    monkeypatch.setattr(redis_cache, "recovery_actions", [lambda: seen.append("new generation")])
    cache.get("x")
    redis_server.kill()
    cache.get("x")
    assert seen == []
    redis_server.start()
    wait_past_retry_window()
    cache.get("x")
    cache.get("x")
    assert seen == ["new generation"], "once per outage, when Redis answers again"


def test_an_unknown_counter_is_still_a_value_error_not_an_outage(redis_server):
    cache = backend(redis_server)
    with pytest.raises(ValueError):
        cache.incr("never-set")
    assert not cache.is_down()


def test_out_of_memory_refusals_skip_the_write_but_keep_reading(tmp_path):
    server = servers.RedisServer(tmp_path, durable=False, maxmemory="2mb", policy="noeviction")
    try:
        cache = backend(server)
        cache.set("front-page", "kept")
        big = "x" * 200_000
        for i in range(40):  # fill it past the cap: later writes are refused with OOM
            cache.set(f"page-{i}", big)
        assert cache.get("front-page") == "kept", "reads go on while writes are refused"
        assert not cache.is_down()
    finally:
        server.stop()


def test_the_generation_is_never_shared_while_the_cache_cannot_hold_it(settings, tmp_path):
    """With Redis down every request gets a generation of its own: no worker's copy is trusted."""
    from django.core.cache import caches

    from masthead.core import generation

    server = servers.RedisServer(tmp_path, durable=False)
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "masthead.core.redis_cache.RedisCache", "LOCATION": server.url},
    }
    with contextlib.suppress(AttributeError, KeyError):
        del caches["default"]
    try:
        first = generation.current_generation()
        assert generation.current_generation() == first
        server.kill()
        during = {generation.current_generation() for _ in range(5)}
        assert len(during) == 5 and first not in during
    finally:
        server.stop()
        with contextlib.suppress(AttributeError, KeyError):
            del caches["default"]
