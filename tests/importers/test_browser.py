"""An imported WordPress post and an imported paid Ghost post, as an anonymous reader sees them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from masthead.news.models import ArticlePage
from tests.builders import make_publication
from tests.importers.conftest import WXR, run_import
from tests.importers.test_ghost import GHOST5

os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
SHOTS = Path(os.environ.get("MASTHEAD_SHOTS", "/tmp/shots/importers"))


@pytest.fixture
def live_pub(wagtail_roots, live_server, settings):
    settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    return make_publication(("Politics", "Business"))


def test_imported_stories_read_as_an_anonymous_reader(
    live_pub, live_server, uploads, old_ghost_site, browser
):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")
    run_import("import_ghost", str(GHOST5), "--old-site", old_ghost_site)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))

    wordpress = ArticlePage.objects.get(slug="template-featured-image-horizontal")
    page.goto(live_server.url + wordpress.url)
    assert page.locator("h1").inner_text() == wordpress.title
    assert page.locator("figure.hero img").is_visible()
    page.screenshot(path=str(SHOTS / "wordpress-post.png"), full_page=True)

    ghost = ArticlePage.objects.get(slug="port-budget")
    page.goto(live_server.url + ghost.url)
    text = page.content()
    assert "The council will vote on the port budget" in text
    assert "CANARY-ghost-paid" not in text
    page.screenshot(path=str(SHOTS / "ghost-paid-post.png"), full_page=True)
    context.close()
    assert hosts <= {live_server.url.split("/")[2]}, f"the pages asked other hosts: {hosts}"
