"""The Redis meter store must keep what it counted: through a restart, and under memory pressure.

A meter in Redis is the record of what each reader has read. A Redis without an append-only file
loses it on restart (every walled reader gets a fresh allowance); a Redis that evicts keys under a
memory cap (`allkeys-lru`, or any `volatile-*` policy: every meter key has a TTL) drops readers'
counts to make room (each dropped reader gets a free article). So the store is checked against
the server it will write to:

- `appendonly yes` (AOF; `appendfsync always` so a crash loses no read — see docs/deployment.md);
- `maxmemory-policy noeviction` (a full meter Redis refuses writes, and the meter fails closed).

Production (`MASTHEAD_METER_REQUIRE_DURABLE`, on in production settings) refuses to start on a
Redis that fails either; elsewhere the problem is logged loudly. Managed Redis services that hide
`CONFIG` still answer `INFO`, which is what is read. The database meter store (the default) is
durable by construction and is not checked.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger("masthead.meter")

SAFE_POLICY = "noeviction"


def problems_of(info: dict[str, Any]) -> list[str]:
    """What is unsafe about a Redis server, from its `INFO persistence` + `INFO memory` fields."""
    found = []
    if str(info.get("aof_enabled", "0")) != "1":
        found.append(
            "it keeps no append-only file (appendonly no): a restart would hand every reader a fresh "
            "allowance"
        )
    policy = str(info.get("maxmemory_policy", ""))
    if policy != SAFE_POLICY:
        found.append(
            f"its maxmemory-policy is {policy or 'unknown'!r}, not 'noeviction': under a memory cap it "
            "would evict readers' counts"
        )
    return found


def meter_redis_url() -> str:
    return str(getattr(settings, "MASTHEAD_METER_REDIS_URL", "") or getattr(settings, "REDIS_URL", ""))


def durability_problems(client: Any | None = None) -> list[str]:
    """Problems with the configured Redis meter store ([] for the database store)."""
    if getattr(settings, "MASTHEAD_METER_STORE", "database") != "redis":
        return []
    url = meter_redis_url()
    if not url:
        return ["MASTHEAD_METER_STORE is 'redis' but no Redis URL is set"]
    if client is None:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2.0, socket_connect_timeout=2.0)
    try:
        info = {**client.info("persistence"), **client.info("memory")}
    except Exception as exc:  # unreachable now: the store fails closed; say so, do not guess
        return [f"the meter Redis cannot be asked for its settings ({exc})"]
    problems = problems_of(info)
    if problems and url == getattr(settings, "REDIS_URL", ""):
        problems.append(
            "it is also the page cache's Redis: give the meter its own (MASTHEAD_METER_REDIS_URL)"
        )
    return problems


def check_meter_store() -> None:
    """At start-up (config/wsgi.py, `manage.py check`): refuse or warn about a volatile meter."""
    problems = durability_problems()
    if not problems:
        return
    message = "The Redis meter store is not durable: " + "; ".join(problems) + "."
    if getattr(settings, "MASTHEAD_METER_REQUIRE_DURABLE", False):
        raise ImproperlyConfigured(message + " See docs/deployment.md (the meter's Redis).")
    logger.warning("%s Readers may get extra free articles after a restart or eviction.", message)


def deploy_check(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """`manage.py check --deploy` says the same before a release goes out."""
    from django.core.checks import Error, Warning

    problems = durability_problems()
    if not problems:
        return []
    kind = Error if getattr(settings, "MASTHEAD_METER_REQUIRE_DURABLE", False) else Warning
    return [kind("The Redis meter store is not durable: " + "; ".join(problems), id="masthead.E002")]
