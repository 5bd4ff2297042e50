"""The meter stores under test, against real servers when they are reachable."""

from __future__ import annotations

import os
import uuid

import pytest

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def redis_reachable() -> bool:
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_reachable(), reason=f"no Redis server at {REDIS_TEST_URL}")


def unique_reader() -> str:
    return f"a:test-{uuid.uuid4().hex}"
