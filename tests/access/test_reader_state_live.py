"""A signed-in reader's kept account, entitlements and app token (masthead.access.reader_state,
masthead.accounts.session_user, masthead.api.tokens) are obeyed across processes.

A real gunicorn (2 workers) with Redis as its cache serves a subscriber and a registered reader,
on the web (session cookie) and in the app (bearer token); each change is made by another process
(`manage.py shell`, as a billing webhook, the admin or a management command would), and the very
next requests, whichever worker answers them, must follow it. Each test first proves the records
were kept, so it would fail if a change did not drop them.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.access.live import PYTHON, ROOT, LiveSite, base_env, migrate, running_site
from tests.access.stores import REDIS_TEST_URL, needs_redis

pytestmark = [pytest.mark.live, needs_redis]

SETUP = """
import json
from datetime import timedelta
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.utils import timezone
from masthead.access.entitlements import grant_entitlement
from masthead.api.tokens import issue_user_token
from tests.builders import canary_for, make_article, make_publication, make_reader

pub = make_publication()
article = make_article(pub, access="subscribers")
now = timezone.now()
out = {"url": article.url, "id": article.pk, "canary": canary_for(article.slug), "readers": {}}
for name in ("subscriber", "reader"):
    user = make_reader(f"{name}@live.example", "a long passphrase 42")
    if name == "subscriber":
        grant_entitlement(user=user, kind="subscription", starts_at=now - timedelta(days=1),
                          ends_at=now + timedelta(days=30), source_ref="sub-live")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    out["readers"][name] = {"id": user.pk, "session": session.session_key,
                            "token": issue_user_token(user=user, device_name="phone").token}
print("SITE=" + json.dumps(out))
"""


@dataclass
class Site:
    live: LiveSite
    env: dict[str, str]
    data: dict[str, Any]

    def other_process(self, code: str) -> None:
        """A change made by another process: what a webhook, the admin or a command does."""
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=self.env, check=True, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    def web_reads_whole(self, reader: str) -> bool:
        cookie = f"sessionid={self.data['readers'][reader]['session']}"
        status, body, _ = self.live.get(self.data["url"], cookie)
        assert status == 200, body[:300]
        return self.data["canary"] in body

    def app_status(self, reader: str) -> tuple[int, dict[str, Any]]:
        token = self.data["readers"][reader]["token"]
        request = urllib.request.Request(
            f"{self.live.base_url}/api/v1/articles/{self.data['id']}",
            headers={"Authorization": f"Bearer {token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as exc:
            return exc.code, {}

    def app_reads_whole(self, reader: str) -> bool:
        status, detail = self.app_status(reader)
        assert status == 200, (status, detail)
        return self.data["canary"] in json.dumps(detail["body"])

    def reads_whole_everywhere(self, reader: str, times: int = 4) -> set[bool]:
        """What `times` web and app requests showed (two workers: both answer some of them)."""
        return {self.web_reads_whole(reader) for _ in range(times)} | {
            self.app_reads_whole(reader) for _ in range(times)
        }

    def kept_tokens(self) -> int:
        import redis

        return len(redis.Redis.from_url(self.env["REDIS_URL"]).keys("*masthead:reader:app-token:*"))

    def kept_records(self, user_id: int) -> set[str]:
        import redis

        keys = redis.Redis.from_url(self.env["REDIS_URL"]).keys(f"*masthead:reader:*:{user_id}")
        kinds = {key.decode().split("masthead:reader:", 1)[1].split(":", 1)[0] for key in keys}
        return kinds


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    import redis

    redis.Redis.from_url(REDIS_TEST_URL).flushdb()
    url = f"sqlite:///{tmp_path / f'site-{uuid.uuid4().hex}.sqlite3'}"
    migrate(url)
    env = base_env(url, REDIS_URL=REDIS_TEST_URL, MASTHEAD_METER_STORE="redis")
    done = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SETUP],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    line = next(x for x in done.stdout.splitlines() if x.startswith("SITE="))
    data = json.loads(line.removeprefix("SITE="))
    with running_site(url, workers=2, threads=4, tmp=tmp_path, REDIS_URL=REDIS_TEST_URL,
                      MASTHEAD_METER_STORE="redis") as live:  # fmt: skip
        yield Site(live=live, env=env, data=data)
    redis.Redis.from_url(REDIS_TEST_URL).flushdb()


def _wait_out_tombstones() -> None:
    # Setting the readers up wrote their records' tombstones (a sign-up is a change): a reader
    # who signed up more than TOMBSTONE_SECONDS ago is what the site usually serves.
    from masthead.access.reader_state import TOMBSTONE_SECONDS

    time.sleep(TOMBSTONE_SECONDS + 1)


def test_entitlements_ended_granted_and_expiring_are_obeyed_on_the_next_request(site: Site) -> None:
    _wait_out_tombstones()
    subscriber, reader = site.data["readers"]["subscriber"], site.data["readers"]["reader"]
    assert site.reads_whole_everywhere("subscriber") == {True}
    assert site.reads_whole_everywhere("reader") == {False}
    # Both readers' accounts, entitlements and app tokens are now kept in the shared cache.
    assert {"account", "entitlements"} <= site.kept_records(subscriber["id"])
    assert {"account", "entitlements"} <= site.kept_records(reader["id"])

    # A refund webhook ends the subscription (a queryset update: no model signal).
    site.other_process(
        "from django.utils import timezone\n"
        "from masthead.access.entitlements import end_entitlement\n"
        "assert end_entitlement(source_ref='sub-live', ends_at=timezone.now()) == 1"
    )
    assert site.reads_whole_everywhere("subscriber") == {False}

    # Staff grant the registered reader a complimentary subscription that ends in a few seconds.
    site.other_process(
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from masthead.access.entitlements import grant_entitlement\n"
        "from masthead.accounts.models import User\n"
        "grant_entitlement(user=User.objects.get(email='reader@live.example'), kind='complimentary',\n"
        "    starts_at=timezone.now() - timedelta(minutes=1), ends_at=timezone.now() + timedelta(seconds=40))"
    )
    assert site.reads_whole_everywhere("reader") == {True}
    _wait_out_tombstones()
    assert site.reads_whole_everywhere("reader") == {True}
    assert "entitlements" in site.kept_records(reader["id"])  # kept again, with its end date
    time.sleep(12)
    # Nobody edited anything: the end date passed, and the kept record's date is obeyed.
    assert site.reads_whole_everywhere("reader") == {False}


def test_password_change_deactivation_and_revoked_tokens_are_obeyed_on_the_next_request(site: Site) -> None:
    _wait_out_tombstones()
    subscriber = site.data["readers"]["subscriber"]
    assert site.reads_whole_everywhere("subscriber") == {True}
    assert site.reads_whole_everywhere("reader") == {False}
    assert "account" in site.kept_records(subscriber["id"])
    assert site.kept_tokens() == 2

    cookie = f"sessionid={subscriber['session']}"
    status, body, _ = site.live.get(site.data["url"], cookie)
    assert status == 200 and "/accounts/login/" not in body  # signed in

    # The subscriber changes their password elsewhere: every other session is signed out (the
    # page is the anonymous one: the sign-in link, and only the teaser).
    site.other_process(
        "from masthead.accounts.models import User\n"
        "user = User.objects.get(email='subscriber@live.example')\n"
        "user.set_password('another long passphrase 43')\n"
        "user.save()"
    )
    for _ in range(4):
        status, body, _ = site.live.get(site.data["url"], cookie)
        assert status == 200 and site.data["canary"] not in body
        assert "/accounts/login/" in body
    # The app token is not a session: it still reads (signing out devices is a separate step).
    assert site.app_reads_whole("subscriber")

    # The subscriber signs that app out from another device.
    site.other_process(
        "from masthead.api.models import ApiToken\n"
        f"ApiToken.objects.filter(user_id={subscriber['id']}).delete()"
    )
    assert {site.app_status("subscriber")[0] for _ in range(4)} == {401}

    # Staff deactivate the registered reader: the session and the app both stop at once.
    assert site.web_reads_whole("reader") is False and site.app_status("reader")[0] == 200
    site.other_process(
        "from masthead.accounts.models import User\n"
        "user = User.objects.get(email='reader@live.example')\n"
        "user.is_active = False\n"
        "user.save()"
    )
    assert {site.app_status("reader")[0] for _ in range(4)} == {401}
    reader_cookie = f"sessionid={site.data['readers']['reader']['session']}"
    for _ in range(4):
        status, body, _ = site.live.get(site.data["url"], reader_cookie)
        assert status == 200 and "/accounts/login/" in body
