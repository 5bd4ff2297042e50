"""The site's one absolute address: every absolute URL the site writes starts here.

Canonical links, share links, JSON-LD, feeds, sitemaps, robots.txt, the apps API, payment return
addresses and e-mails all name the same scheme, host and port (`MASTHEAD_SITE_URL`), whatever host
a request arrived on and whatever the Site record in the admin says. `make demo` sets it to the
address it serves.

Wagtail builds a page's full URL from its Site record (hostname and port), which cannot say
"https on port 8443" and which a publisher may edit in Settings → Sites to route requests; pages
of the default site therefore take their address from here instead (`SiteAddressedPage`), and the
Site record's hostname only decides which site answers a request. Pages under another Site record
(a second publication on the same install) keep that record's address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

DEFAULT_PORTS = {"http": 80, "https": 443}


def site_root_url() -> str:
    """e.g. "https://news.example.com" — no trailing slash."""
    return str(settings.MASTHEAD_SITE_URL).rstrip("/")


def absolute_url(path: str) -> str:
    """The absolute URL of a site path ("/business/…"); absolute URLs are returned as they are
    (media on S3-compatible storage or a CDN keeps its own address)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_root_url()}/{path.lstrip('/')}"


def site_hostname_and_port() -> tuple[str, int]:
    """What a Wagtail Site record should say to agree with the site URL: ("127.0.0.1", 8000)."""
    parts = urlsplit(site_root_url())
    return parts.hostname or "", parts.port or DEFAULT_PORTS.get(parts.scheme, 80)


def problems_with(value: str) -> list[str]:
    """Why a site URL could not be the address of every link (empty when it can)."""
    parts = urlsplit(value)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        example = "https://news.example.com"
        return [f"MASTHEAD_SITE_URL must be an absolute http(s) address such as {example}, not {value!r}."]
    found = []
    if parts.path.strip("/") or parts.query or parts.fragment:
        found.append(
            f"MASTHEAD_SITE_URL must be the site's root with no path, query or fragment ({value!r}): "
            "Masthead is served at the root of its host."
        )
    if parts.username or parts.password:
        found.append("MASTHEAD_SITE_URL must not carry a user name or password.")
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        found.append(f"MASTHEAD_SITE_URL has an invalid port ({value!r}).")
    return found


def _is_default_site(page: Any, site_id: int, request: HttpRequest | None) -> bool:
    # One Site record (the usual install): no lookup. The root paths are Wagtail's own, kept on
    # the request (or in the shared cache) by the `get_url_parts` call that produced `site_id`.
    if len({root.site_id for root in page._get_site_root_paths(request)}) == 1:
        return True
    if request is None:
        return _default_site_id() == site_id
    cached = getattr(request, "_masthead_default_site_id", None)
    if cached is None:
        cached = request._masthead_default_site_id = _default_site_id()  # type: ignore[attr-defined]
    return bool(cached == site_id)


def _default_site_id() -> int | None:
    from wagtail.models import Site

    return Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()


class SiteAddressedPage:
    """Mixin for every page model of the site (before `Page` in the bases): its full URL starts
    with the site URL, not with the Site record's hostname and port or the request's host."""

    def get_url_parts(self, request: HttpRequest | None = None) -> Any:
        parts = super().get_url_parts(request=request)  # type: ignore[misc]
        if parts is None or parts[1] is None:
            return parts
        site_id, _record_root_url, page_path = parts
        if not _is_default_site(self, site_id, request):
            return parts
        return site_id, site_root_url(), page_path
