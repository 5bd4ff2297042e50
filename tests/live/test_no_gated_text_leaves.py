"""A reader with no account crawls the running site on both hosts and never receives a sentence
of a subscriber-only article: not in pages, feeds, the sitemap, search, JSON-LD or the apps API."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from tests.live.harness import Deployment

pytestmark = [pytest.mark.live]

MAX_PAGES = 150


def links(base: str, html: str) -> set[str]:
    found = set()
    for href in re.findall(r'(?:href|src)="([^"#]+)"', html):
        url = urllib.parse.urlparse(urllib.parse.urljoin(base + "/", href))
        if url.netloc == urllib.parse.urlparse(base).netloc and not url.path.startswith(
            ("/static/", "/admin")
        ):
            found.add(url.path + (f"?{url.query}" if url.query else ""))
    return found


def test_an_anonymous_crawl_of_both_hosts_finds_no_subscriber_only_canary(live: Deployment) -> None:
    stories = live.data["articles"]
    gated = [stories[name] for name in ("teaser", "offer", "subscriber_only")]
    canaries = [story["canary"] for story in gated]
    start = {
        "/",
        "/feeds/latest/",
        "/sitemap.xml",
        "/robots.txt",
        "/api/v1/articles?limit=50",
        "/api/v1/sections",
    }
    start |= {story["url"] for story in gated}
    start |= {f"/api/v1/articles/{story['id']}" for story in gated}
    # Search for the canaries' own words, as a reader probing for gated text would.
    start |= {f"/search/?q={urllib.parse.quote(story['canary'].split()[0])}" for story in gated}
    start |= {f"/api/v1/search?q={urllib.parse.quote(story['canary'].split()[0])}" for story in gated}
    seen: set[str] = set()
    queue = sorted(start)
    fetched = 0
    while queue and fetched < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        for reply in live.read(path, n=2):  # one on each host
            fetched += 1
            assert reply.status < 500, (path, reply.status)
            leaked = [c for c in canaries if c in reply.body]
            assert not leaked, f"{path} on {reply.host} sent gated text: {leaked}"
            if "html" in reply.headers.get("Content-Type", ""):
                queue.extend(sorted(links(live.hosts[0].base_url, reply.body) - seen))
    assert fetched >= 40, f"the crawl reached only {fetched} responses: {sorted(seen)}"
