"""deploy/gunicorn.conf.py: the master loads what workers share before it forks them, and opens no
database connection doing so (a connection shared across a fork would be used by two processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, runpy, sys
import django
django.setup()
from django.db import connections
conf = runpy.run_path(sys.argv[1])

class Cfg:
    preload_app = True

class Server:
    cfg = Cfg()

before = set(sys.modules)
conf["_warm_up"](Server())
loaded = sorted(set(sys.modules) - before)
print(json.dumps({
    "loaded": loaded,
    "open_connections": [alias for alias in connections if connections[alias].connection is not None],
}))
"""


def test_the_master_loads_every_view_and_the_page_templates_without_touching_the_database() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])

    # the readers' views and the apps' API, which workers would otherwise each import on first use
    for module in (
        "masthead.news.views",
        "masthead.api.urls",
        "masthead.accounts.views",
        "wagtail.admin.urls",
    ):
        assert module in found["loaded"], module
    # the article page's template tags
    assert "masthead.news.templatetags.news_tags" in found["loaded"]
    assert found["open_connections"] == []
