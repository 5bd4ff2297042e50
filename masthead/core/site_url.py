"""The site's one absolute address: every absolute URL the site writes starts here.

Canonical links, share links, JSON-LD, feeds, sitemaps, robots.txt and e-mails all name the same
scheme, host and port, whatever host a request arrived on (`MASTHEAD_SITE_URL`; `make demo` sets it
to the address it serves).
"""

from __future__ import annotations

from django.conf import settings


def site_root_url() -> str:
    """e.g. "https://news.example.com" — no trailing slash."""
    return str(settings.MASTHEAD_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute URL of a site path ("/business/…"); absolute URLs are returned as they are."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_root_url()}/{path.lstrip('/')}"
