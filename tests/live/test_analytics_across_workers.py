"""Views read on every worker of both hosts reach the analytics dashboard, each counted once.

Each worker keeps its readers' events in its own buffer and writes them in one statement when the
buffer is full or 5 seconds old (`masthead.analytics.recorder`); the issue promises the dashboard
shows them within 60 seconds. The count is read as the publisher's own tools read it: the staff
JSON endpoint, over HTTP, signed in to the real admin.
"""

from __future__ import annotations

import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import requests

from tests.live.harness import PROBE_HEADER, Deployment, Reply

pytestmark = [pytest.mark.live]

# A reader's browser: the harness's own requests say `python-requests`, which analytics leaves out
# as a robot.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def read_as_fresh_readers(live: Deployment, path: str, n: int) -> list[Reply]:
    def one(i: int) -> Reply:
        host = live.hosts[i % len(live.hosts)]
        probe = secrets.token_hex(6)
        headers = {PROBE_HEADER: probe, "Connection": "close", "User-Agent": BROWSER}
        r = requests.get(host.base_url + path, headers=headers, allow_redirects=False, timeout=60)
        return Reply(r.status_code, r.text, host.name, probe, dict(r.headers))

    with ThreadPoolExecutor(max_workers=10) as pool:
        return list(pool.map(one, range(n)))


def test_views_on_every_worker_reach_the_funnel_once_each_within_a_minute(live: Deployment) -> None:
    story = live.data["articles"]["metered"][5]
    replies = read_as_fresh_readers(live, story["url"], 30)
    assert [r.status for r in replies] == [200] * 30
    workers = live.workers_that_answered(replies)
    assert len(workers) >= 2 and {w.split(":")[0] for w in workers} == {"host-a", "host-b"}, workers

    admin = live.admin()
    today = date.today()
    url = (
        f"{admin.base}/admin/analytics/funnel.json?start={today - timedelta(days=1)}"
        f"&end={today + timedelta(days=1)}&by=article"
    )
    deadline = time.monotonic() + 60
    views = None
    while time.monotonic() < deadline:
        answer = admin.session.get(url, timeout=30)
        assert answer.status_code == 200, answer.text[:500]
        rows = {row["key"]: row for row in answer.json()["rows"]}
        views = rows.get(str(story["id"]), {}).get("views")
        if views == 30:
            break
        time.sleep(1)
    assert views == 30, f"views counted for the story after 60 s: {views}; {answer.text[:1500]}"
