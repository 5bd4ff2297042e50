"""A few plain HTTP requests to the server under test (no redirects followed, cookies by hand).

Cookies are handled by hand on purpose: production settings mark them Secure, which a cookie jar
would refuse to send over the bench's plain-HTTP loopback connection.
"""

from __future__ import annotations

import gzip
import http.client
import urllib.parse

Headers = list[tuple[str, str]]


def fetch_raw(
    base_url: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
) -> tuple[int, Headers, bytes]:
    """The reply as it came over the wire (compressed if the server compressed it)."""
    parsed = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def decoded(headers: Headers, raw: bytes) -> str:
    """The body as text, undoing the Content-Encoding the server applied (brotli or gzip)."""
    encoding = (header(headers, "Content-Encoding") or "").strip().lower()
    if encoding == "br":
        import brotli

        raw = brotli.decompress(raw)
    elif encoding == "gzip":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8", "replace")


def fetch(
    base_url: str,
    path: str,
    *,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
) -> tuple[int, Headers, str]:
    status, reply_headers, raw = fetch_raw(
        base_url, path, method=method, headers=headers, body=body, timeout=timeout
    )
    return status, reply_headers, decoded(reply_headers, raw)


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
