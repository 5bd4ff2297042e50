"""Acceptance: the sign-in gate's count is shared by every worker of a real gunicorn.

Each request goes over its own connection (`Connection: close`), so the two workers share them
out; the access log shows both answered. Exactly 5 wrong passwords are checked per account,
sequentially and in a parallel burst, and then the right password is refused at other doors.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.signin.conftest import PASSWORD, make_account
from tests.signin.live import LiveServer, serve

pytestmark = pytest.mark.live

LIMIT = 5
CLOSE = {"Connection": "close"}


def api_try(server: LiveServer, email: str, password: str) -> int:
    response = requests.post(
        f"{server.base_url}/api/v1/auth/token",
        json={"email": email, "password": password, "device_name": "Live phone"},
        headers=CLOSE,
        timeout=30,
    )
    return response.status_code


def form_try(server: LiveServer, path: str, fields: dict[str, str]) -> requests.Response:
    """A browser's try at a web form: fetch it for the CSRF token, then post it (no redirects)."""
    with requests.Session() as browser:
        page = browser.get(f"{server.base_url}{path}", headers=CLOSE, timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text[:500]
        return browser.post(
            f"{server.base_url}{path}",
            data={**fields, "csrfmiddlewaretoken": token.group(1)},
            headers={**CLOSE, "Referer": f"{server.base_url}{path}"},
            allow_redirects=False,
            timeout=30,
        )


@pytest.fixture
def server(transactional_db: Any, tmp_path: Path) -> Any:
    for name in ("serial", "burst", "control"):
        make_account(f"{name}@example.com", staff=True)
    with serve(tmp_path) as live:
        yield live


def test_exactly_five_wrong_passwords_are_checked_whichever_worker_answers(server: LiveServer) -> None:
    # Sequential tries, each on a new connection.
    statuses = [api_try(server, "serial@example.com", f"guess {i}") for i in range(LIMIT + 3)]
    assert statuses == [401] * LIMIT + [429] * 3

    # The right password is refused at the other doors, whichever worker takes them.
    admin = form_try(server, "/django-admin/login/", {"username": "serial@example.com", "password": PASSWORD})
    assert admin.status_code == 429 and "sessionid" not in admin.cookies
    site = form_try(server, "/accounts/login/", {"login": "Serial@Example.com", "password": PASSWORD})
    assert site.status_code == 429 and 'data-signin-refused="signin"' in site.text

    # A parallel burst: 16 guesses at once, each on its own connection. Exactly 5 are checked.
    with ThreadPoolExecutor(max_workers=16) as pool:
        burst = list(pool.map(lambda i: api_try(server, "burst@example.com", f"guess {i}"), range(16)))
    assert sorted(burst) == [401] * LIMIT + [429] * 11

    # The control: an account with no failures still signs in on either worker.
    assert api_try(server, "control@example.com", PASSWORD) == 201
    assert len(server.worker_pids()) == 2, server.access_log.read_text()
