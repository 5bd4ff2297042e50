"""Where the bench runs: PostgreSQL and Redis on 127.0.0.1 when reachable, else SQLite and local
memory; the production settings with a secret generated for this run."""

from __future__ import annotations

import os
import secrets
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/masthead_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/6"


@dataclass
class Backends:
    database_url: str
    database: str  # what the results say
    redis_url: str  # "" without Redis
    meter_store: str
    cache: str


def _postgres_reachable(url: str) -> str | None:
    """None when we can create the bench database there, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    parsed = urllib.parse.urlsplit(url)
    admin_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    try:
        psycopg.connect(admin_url, connect_timeout=3).close()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc).strip()[:120]}"
    return None


def _recreate_postgres(url: str) -> str:
    import psycopg
    from psycopg import sql

    parsed = urllib.parse.urlsplit(url)
    name = parsed.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parsed._replace(path="/postgres"))
    # A fresh database every run: results never depend on what an earlier run left behind.
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        version = connection.execute("SHOW server_version").fetchone()
    return f"PostgreSQL {version[0].split()[0] if version else '?'}"


def _redis_reachable(url: str) -> str | None:
    try:
        import redis

        redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"{type(exc).__name__}: {str(exc)[:120]}"
    return None


def choose_backends(*, workdir: Path, notes: list[str]) -> Backends:
    wanted_db = os.environ.get("BENCH_DATABASE", "auto")  # auto | postgres | sqlite
    pg_url = os.environ.get("BENCH_PG_URL", DEFAULT_PG_URL)
    database_url, database = "", ""
    if wanted_db in ("auto", "postgres"):
        problem = _postgres_reachable(pg_url)
        if problem is None:
            database, database_url = _recreate_postgres(pg_url), pg_url
        elif wanted_db == "postgres":
            raise SystemExit(f"BENCH_DATABASE=postgres but {pg_url} is not reachable: {problem}")
        else:
            notes.append(f"PostgreSQL not reachable at {pg_url} ({problem}); using SQLite")
    if not database_url:
        database_url, database = f"sqlite:///{workdir / 'bench.sqlite3'}", "SQLite (WAL)"

    wanted_redis = os.environ.get("BENCH_REDIS", "auto")  # auto | on | off
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if wanted_redis == "off":
        redis_url = ""
    else:
        problem = _redis_reachable(redis_url)
        if problem is not None:
            if wanted_redis == "on":
                raise SystemExit(f"BENCH_REDIS=on but {redis_url} is not reachable: {problem}")
            notes.append(f"Redis not reachable at {redis_url} ({problem}); database cache + meter")
            redis_url = ""
        else:
            import redis

            # The bench's own Redis database: start empty, so no earlier run's meter counts or
            # cached pages leak into this one.
            redis.Redis.from_url(redis_url).flushdb()
    if redis_url:
        return Backends(database_url, database, redis_url, meter_store="redis", cache=f"Redis ({redis_url})")
    return Backends(database_url, database, "", meter_store="database", cache="database table (shared)")


def django_env(*, root: Path, workdir: Path, backends: Backends, base_settings: str) -> dict[str, str]:
    """The environment every Django process of the bench shares."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_BASE_SETTINGS=base_settings,
        PYTHONPATH=os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        PYTHONDONTWRITEBYTECODE="1",
        DATABASE_URL=backends.database_url,
        REDIS_URL=backends.redis_url,
        MASTHEAD_METER_STORE=backends.meter_store,
        # The bench's Redis is the machine's shared one (no append-only file), which production
        # refuses as a meter store (docs/resilience.md); the bench measures speed, not durability.
        MASTHEAD_METER_REQUIRE_DURABLE="false",
        MASTHEAD_VAR_DIR=str(workdir),
        MEDIA_ROOT=str(workdir / "media"),
        # Production refuses a missing or short secret; each run makes its own.
        SECRET_KEY=secrets.token_urlsafe(64),
        MASTHEAD_DEMO="false",
        DEBUG="false",
        # Plain HTTP on the loopback: no TLS terminator in front, so no redirect to https.
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        LOG_LEVEL="ERROR",
    )
    return env
