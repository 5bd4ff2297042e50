"""The readers each scenario plays: signed in through the real login form, an app token from the
API, and an anonymous reader who has used up the free allowance."""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from bench.loopback import cookie_header, fetch, set_cookies

LOGIN_PATH = "/accounts/login/"
TOKEN_PATH = "/api/v1/auth/token"


class ReaderUnavailable(Exception):
    """This reader could not be set up; the scenarios that need it are skipped with the reason."""


@dataclass
class Reader:
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def request_headers(self) -> dict[str, str]:
        cookie = cookie_header(self.cookies)
        return {**self.headers, **({"Cookie": cookie} if cookie else {})}


def sign_in(base_url: str, *, email: str, password: str) -> Reader:
    """The allauth login form, CSRF token and all, as a browser would post it."""
    status, headers, body = fetch(base_url, LOGIN_PATH)
    if status != 200:
        raise ReaderUnavailable(f"GET {LOGIN_PATH} answered {status}")
    cookies = set_cookies(headers)
    match = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', body) or re.search(
        r'value="([^"]+)"\s+name="csrfmiddlewaretoken"', body
    )
    if not match or "csrftoken" not in cookies:
        raise ReaderUnavailable("the login form carries no CSRF token")
    form = {
        "csrfmiddlewaretoken": html.unescape(match.group(1)),
        "login": email,
        "password": password,
        "remember": "on",
    }
    status, headers, _ = fetch(
        base_url,
        LOGIN_PATH,
        method="POST",
        body=urllib.parse.urlencode(form).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": base_url + LOGIN_PATH,
        },
    )
    cookies.update(set_cookies(headers))
    if status not in (302, 303) or not cookies.get("sessionid"):
        raise ReaderUnavailable(f"signing in {email} failed (HTTP {status})")
    return Reader(cookies=cookies)


def _find_token(payload: Any) -> str | None:
    if isinstance(payload, dict):
        for key in ("token", "access_token", "key"):
            if isinstance(payload.get(key), str):
                return payload[key]
        for value in payload.values():
            found = _find_token(value)
            if found:
                return found
    return None


def api_token(base_url: str, *, email: str, password: str) -> Reader:
    body = json.dumps({"email": email, "password": password, "device_name": "bench"}).encode()
    status, _, text = fetch(
        base_url, TOKEN_PATH, method="POST", body=body, headers={"Content-Type": "application/json"}
    )
    if status not in (200, 201):
        raise ReaderUnavailable(f"POST {TOKEN_PATH} answered {status}")
    try:
        token = _find_token(json.loads(text))
    except ValueError:
        token = None
    if not token:
        raise ReaderUnavailable(f"POST {TOKEN_PATH} returned no token")
    return Reader(headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})


def shows_whole_article(body: str, marker: str | None) -> bool | None:
    """True when the article's last paragraph is in the page; None when we cannot tell."""
    if not marker:
        return None
    return marker in body


def walled_anonymous_reader(base_url: str, articles: list[dict[str, Any]]) -> tuple[Reader, dict[str, Any]]:
    """Read distinct metered articles with one anonymous cookie until the wall comes down.

    Returns the reader and the article it is now walled on. Bounded by the articles available.
    """
    candidates = [article for article in articles if article.get("marker")]
    if len(candidates) < 2:
        raise ReaderUnavailable("too few metered articles with a recognisable last paragraph")
    reader = Reader()
    for article in candidates[:30]:
        status, headers, body = fetch(base_url, article["path"], headers=reader.request_headers())
        reader.cookies.update(set_cookies(headers))
        if status == 200 and not shows_whole_article(body, article["marker"]):
            # Confirm: the same article again is still walled (the wall is not a one-off).
            status, _, body = fetch(base_url, article["path"], headers=reader.request_headers())
            if status == 200 and not shows_whole_article(body, article["marker"]):
                return reader, article
        elif status != 200:
            raise ReaderUnavailable(f"{article['path']} answered {status}")
    raise ReaderUnavailable(f"an anonymous reader was never walled after {len(candidates[:30])} articles")
