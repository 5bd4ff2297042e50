"""`manage.py check`: shared state kept per process (masthead.core.shared_state) and a site URL
that could not be the address of every link (masthead.core.site_url)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import validate_host

from masthead.core import site_url
from masthead.core.shared_state import problems


@register()
def shared_state_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    # The in-process test suite is a single process and may keep a local cache on purpose.
    if getattr(settings, "MASTHEAD_ALLOW_PROCESS_CACHE", False):
        return []
    return [
        Error(text, id="masthead.E001")
        for text in problems(caches=settings.CACHES, session_engine=settings.SESSION_ENGINE)
    ]


@register()
def site_url_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every absolute link is built from MASTHEAD_SITE_URL (masthead.core.site_url): a value that
    cannot be one stops `manage.py` at once, before it is written into pages, feeds and e-mails."""
    return [Error(text, id="masthead.E003") for text in site_url.problems_with(settings.MASTHEAD_SITE_URL)]


@register(Tags.security, deploy=True)
def site_url_deploy_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    value = site_url.site_root_url()
    if site_url.problems_with(value):
        return []  # masthead.E003 says why
    found: list[CheckMessage] = []
    if not value.startswith("https://"):
        found.append(
            Warning(
                f"MASTHEAD_SITE_URL is {value}: canonical links, the sitemap, feeds, e-mails and "
                "payment return addresses would name it.",
                hint="Set MASTHEAD_SITE_URL to the public https address, e.g. https://news.example.com.",
                id="masthead.W002",
            )
        )
    hostname, _port = site_url.site_hostname_and_port()
    if not validate_host(f"[{hostname}]" if ":" in hostname else hostname, settings.ALLOWED_HOSTS):
        found.append(
            Warning(
                f"MASTHEAD_SITE_URL names {hostname}, which ALLOWED_HOSTS refuses: every link would "
                "answer 400 Bad Request.",
                hint="Add the site URL's host to ALLOWED_HOSTS.",
                id="masthead.W003",
            )
        )
    return found
