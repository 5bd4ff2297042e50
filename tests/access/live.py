"""Run the real site in a separate gunicorn process (started by tests/live/harness.py) against a
database prepared for it.

Used by the race tests: the meter's atomicity only means something between processes and
threads that really run at the same time.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests import migrated
from tests.live.harness import gunicorn

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))

SETUP_SCRIPT = """
import json
from masthead.access.models import MeterSettings
from wagtail.models import Site
from tests.builders import make_article, make_publication, canary_for
pub = make_publication()
meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
meter.anonymous_limit = {limit}
meter.save()
articles = [make_article(pub) for _ in range({count})]
print("ARTICLES=" + json.dumps([[a.url, canary_for(a.slug)] for a in articles]))
"""


def base_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "MASTHEAD_", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url,
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        MASTHEAD_TEST_CACHE="shared",  # a server's workers share one cache, as in production
        **extra,
    )
    return env


def migrate(database_url: str) -> None:
    """Give the database at `database_url` the current schema: a copy of the session's migrated
    template (tests/migrated.py; an empty PostgreSQL database is replaced by the copy)."""
    if database_url.startswith("sqlite:///"):
        migrated.sqlite_copy(Path(database_url.removeprefix("sqlite:///")))
    else:
        server, name = database_url.rsplit("/", 1)
        migrated.postgres_copy(server, name, replace=True)


def build_articles(database_url: str, *, count: int, limit: int) -> list[tuple[str, str]]:
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP_SCRIPT.format(count=count, limit=limit)],
        cwd=ROOT, env=base_env(database_url), check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("ARTICLES="))
    return [(url, canary) for url, canary in json.loads(line.removeprefix("ARTICLES="))]


@dataclass
class LiveSite:
    base_url: str

    def get(self, path: str, cookie: str = "") -> tuple[int, str, str]:
        """(status, body, Set-Cookie header) — no redirects followed, no cookie jar."""
        request = urllib.request.Request(self.base_url + path, headers={"Cookie": cookie} if cookie else {})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, response.read().decode(), response.headers.get("Set-Cookie", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), ""


@contextmanager
def running_site(
    database_url: str, *, workers: int = 2, threads: int = 10, tmp: Path | None = None, **env: str
) -> Iterator[LiveSite]:
    with contextlib.ExitStack() as stack:
        folder = tmp or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        host = stack.enter_context(
            gunicorn("race", base_env(database_url, **env), folder, workers=workers, threads=threads)
        )
        yield LiveSite(base_url=host.base_url)
