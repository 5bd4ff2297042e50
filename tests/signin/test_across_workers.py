"""Acceptance: the sign-in gate's count is shared by every worker of a real gunicorn.

Each request goes over its own connection (`Connection: close`), so the two workers share them
out; the access log shows both answered. Exactly 5 wrong passwords are checked per account,
sequentially and in a parallel burst, and then the right password is refused at other doors.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from tests.signin.conftest import PASSWORD
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


def site_code_try(server: LiveServer, browser: requests.Session, code: str) -> int:
    """One wrong code at allauth's code confirmation, for a login by code started in `browser`."""
    page = browser.get(f"{server.base_url}/accounts/login/code/confirm/", headers=CLOSE, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = browser.post(
        f"{server.base_url}/accounts/login/code/confirm/",
        data={"code": code, "csrfmiddlewaretoken": token.group(1)},
        headers=CLOSE,
        allow_redirects=False,
        timeout=30,
    )
    return response.status_code


def start_site_code_login(server: LiveServer, email: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{server.base_url}/accounts/login/code/", headers=CLOSE, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    started = browser.post(
        f"{server.base_url}/accounts/login/code/",
        data={"email": email, "csrfmiddlewaretoken": token.group(1)},
        headers=CLOSE,
        allow_redirects=False,
        timeout=30,
    )
    assert started.status_code == 302, started.status_code
    return browser


@pytest.fixture(scope="module")
def module_server(django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """One server for the module (starting one is seconds of CPU), on a database of its own."""
    accounts = [f"{name}@example.com" for name in ("serial", "burst", "control", "doors", "codes")]
    with (
        django_db_blocker.unblock(),
        serve(tmp_path_factory.mktemp("signin-live"), accounts=accounts) as live,
    ):
        yield live


@pytest.fixture
def server(module_server: LiveServer) -> LiveServer:
    """The module's server as it started: no try counted, no session, an empty access log."""
    module_server.reset()
    return module_server


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


def test_one_count_over_every_door_and_both_workers(server: LiveServer) -> None:
    # One wrong password at each of the five password doors, each on its own connection.
    wrong = [
        api_try(server, "doors@example.com", "guess"),
        form_try(server, "/accounts/login/", {"login": "doors@example.com", "password": "guess"}).status_code,
        form_try(server, "/admin/login/", {"username": "doors@example.com", "password": "guess"}).status_code,
        form_try(server, "/_util/login/", {"username": "doors@example.com", "password": "guess"}).status_code,
        form_try(
            server, "/django-admin/login/", {"username": "doors@example.com", "password": "guess"}
        ).status_code,
    ]
    assert wrong == [401, 200, 200, 200, 200]

    # The sixth try, with the right password, is refused.
    assert api_try(server, "doors@example.com", PASSWORD) == 429


def test_wrong_codes_over_http_lock_the_account(server: LiveServer) -> None:
    # 3 wrong codes at the site (allauth then drops that code; the third answers with a redirect)...
    browser = start_site_code_login(server, "codes@example.com")
    assert [site_code_try(server, browser, "AAAA-AAAA") for _ in range(3)] == [200, 200, 302]
    # ...and 2 at the API's code endpoint make 5.
    for _ in range(2):
        response = requests.post(
            f"{server.base_url}/api/v1/auth/code/verify",
            json={"email": "codes@example.com", "code": "000000", "device_name": "Live phone"},
            headers=CLOSE,
            timeout=30,
        )
        assert response.status_code == 401

    # Any further code is refused unchecked, and so is the right password.
    browser = start_site_code_login(server, "codes@example.com")
    assert site_code_try(server, browser, "BBBB-BBBB") == 429
    assert api_try(server, "codes@example.com", PASSWORD) == 429
