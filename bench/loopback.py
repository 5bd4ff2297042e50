"""A few plain HTTP requests to the server under test (no redirects followed, cookies by hand).

Cookies are handled by hand on purpose: production settings mark them Secure, which a cookie jar
would refuse to send over the bench's plain-HTTP loopback connection.
"""

from __future__ import annotations

import http.client
import urllib.parse

Headers = list[tuple[str, str]]


def fetch(
    base_url: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
) -> tuple[int, Headers, str]:
    parsed = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def set_cookies(headers: Headers) -> dict[str, str]:
    """name -> value of every Set-Cookie in a response."""
    cookies = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            if "=" in pair:
                cookie_name, cookie_value = pair.split("=", 1)
                cookies[cookie_name.strip()] = cookie_value.strip()
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items() if value)


def header(headers: Headers, wanted: str) -> str | None:
    for name, value in headers:
        if name.lower() == wanted.lower():
            return value
    return None
