"""In the browser: an imported comped member reads a subscribers-only story in full, an imported
unpaid member sees its teaser and the paywall."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from masthead.importers.members.ghost import import_ghost_members
from masthead.importers.report import Report
from tests.builders import canary_for, make_article, make_publication
from tests.importers.members.conftest import GHOST_CSV

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/members")


def _session_cookie(email: str, live_url: str) -> dict[str, Any]:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_url}


def test_imported_members_in_the_browser(live_server: Any, wagtail_roots: None, browser: Any) -> None:
    cache.clear()
    pub = make_publication()
    story = make_article(pub, access="subscribers", title="What the board decided behind closed doors")
    import_ghost_members(GHOST_CSV, report=Report(), dry_run=False)
    SHOTS.mkdir(parents=True, exist_ok=True)
    seen = {}
    for email, name in (("colin.comp@example.com", "comped"), ("tess.tier@example.com", "unpaid")):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        context.add_cookies([_session_cookie(email, live_server.url)])
        page = context.new_page()
        page.goto(live_server.url + story.url)
        page.screenshot(path=str(SHOTS / f"imported-{name}-member.png"), full_page=True)
        seen[name] = page.locator("body").inner_text()
        context.close()
    assert canary_for(story.slug) in seen["comped"]
    assert canary_for(story.slug) not in seen["unpaid"]
    assert story.standfirst in seen["unpaid"]
