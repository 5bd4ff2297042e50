"""One real deployment per configuration for the whole module (starting one costs ~20 s).

The SQLite leg of `make test` runs the embedded configuration, the PostgreSQL leg PostgreSQL +
Redis; `LIVE_CONFIGS=all` runs both in one go.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live.harness import (
    Deployment,
    deployment,
    embedded,
    postgres_reachable,
    postgres_redis,
    redis_reachable,
)


def _configurations() -> list[str]:
    if os.environ.get("LIVE_CONFIGS") == "all":
        return ["embedded", "postgres-redis"]
    return ["postgres-redis"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else ["embedded"]


@pytest.fixture(scope="module", params=_configurations())
def live(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp: Path = tmp_path_factory.mktemp(f"live-{request.param}")
    if request.param == "postgres-redis":
        if not (postgres_reachable() and redis_reachable()):
            pytest.skip("PostgreSQL or Redis is not reachable on 127.0.0.1")
        config = postgres_redis(tmp)
    else:
        config = embedded(tmp)
    with deployment(config, tmp) as site:
        yield site
