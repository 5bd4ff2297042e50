"""Breaking news with a new photo: the first readers of a story all get the page and its photo.

One gunicorn runs the README's worker model (a gthread worker per core, four threads each) on the
`make demo` settings. The editor process publishes stories, each with a photo nobody has seen, so
no rendition of it exists; then 16 readers open each story at the same moment, each on a fresh
connection. Every one of them must get a 200 whose hero <img> points at renditions that exist,
and the server's log must hold no traceback. The second test replaces the photos (Wagtail's
image form deletes every rendition of a replaced file), so the workers make them while serving.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
import requests

from tests.live.harness import (
    PROBE_HEADER,
    Editor,
    Host,
    embedded,
    gunicorn,
    migrate,
    postgres_reachable,
    postgres_redis,
    redis_reachable,
    server_env,
)

pytestmark = [pytest.mark.live]

STORIES = 5
FIRST_READERS = 16
HERO = re.compile(r'<img\b[^>]*class="hero__image"[^>]*>')


@dataclass
class Newsroom:
    host: Host
    editor: Editor
    errors: Path


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Newsroom]:
    tmp = tmp_path_factory.mktemp("new-photos")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        if not (postgres_reachable() and redis_reachable()):
            pytest.skip("PostgreSQL or Redis is not reachable on 127.0.0.1")
        config = postgres_redis(tmp)
    else:
        config = embedded(tmp)
    env = server_env(config, tmp)
    migrate(env)
    editor = Editor(env)
    try:
        editor("newsroom")
        # The README's worker model (Makefile: WORKERS = cores, THREADS = 4, gthread).
        with gunicorn("news", env, tmp, workers=os.cpu_count() or 1, threads=4) as host:
            yield Newsroom(host, editor, tmp / "news-error.log")
    finally:
        editor.close()
        if config.drop:
            config.drop()


@dataclass
class View:
    status: int
    body: str


def first_views(host: Host, path: str) -> list[View]:
    """FIRST_READERS readers open the page at the same moment, each on a fresh connection."""
    start = threading.Barrier(FIRST_READERS, timeout=30)

    def one(_: int) -> View:
        start.wait()
        headers = {PROBE_HEADER: secrets.token_hex(6), "Connection": "close"}
        r = requests.get(host.base_url + path, headers=headers, allow_redirects=False, timeout=90)
        return View(r.status_code, r.text)

    with ThreadPoolExecutor(max_workers=FIRST_READERS) as pool:
        return list(pool.map(one, range(FIRST_READERS)))


def hero_photo_urls(body: str) -> list[str]:
    """The rendition URLs of the page's hero photo (its srcset), or [] if there is no hero <img>."""
    tag = HERO.search(body)
    if tag is None:
        return []
    srcset = re.search(r'srcset="([^"]*)"', tag.group(0))
    if srcset is None:
        return []
    return [candidate.split()[0] for candidate in unescape(srcset.group(1)).split(",") if candidate.strip()]


def check_first_views(newsroom: Newsroom, stories: list[dict[str, str]]) -> None:
    statuses: list[int] = []
    photos: set[str] = set()
    without_photo = 0
    for story in stories:
        views = first_views(newsroom.host, story["url"])
        statuses += [v.status for v in views]
        for view in views:
            urls = hero_photo_urls(view.body) if view.status == 200 else []
            without_photo += view.status == 200 and len(urls) != 3  # width-640, -1024 and -1600
            photos.update(urls)
    failed = [s for s in statuses if s != 200]
    assert len(statuses) == STORIES * FIRST_READERS
    assert failed == [], f"{len(failed)} of {len(statuses)} first views failed: {sorted(set(failed))}"
    assert without_photo == 0, f"{without_photo} pages came without their hero photo's three sizes"
    for url in sorted(photos):
        shown = requests.get(newsroom.host.base_url + url, timeout=30)
        assert shown.status_code == 200, f"{url}: {shown.status_code}"
        assert shown.headers["Content-Type"].startswith("image/"), url
    log = newsroom.errors.read_text()
    assert "Traceback" not in log, log[-4000:]


def test_first_readers_of_stories_with_new_photos(newsroom: Newsroom) -> None:
    stories = [
        newsroom.editor("publish_article_with_new_photo", headline=f"Breaking story {n}")
        for n in range(STORIES)
    ]
    check_first_views(newsroom, stories)


def test_first_readers_after_the_photos_are_replaced(newsroom: Newsroom) -> None:
    stories = [
        newsroom.editor("publish_article_with_new_photo", headline=f"Corrected story {n}")
        for n in range(STORIES)
    ]
    for story in stories:
        newsroom.editor("replace_photo", page_id=story["id"])
    check_first_views(newsroom, stories)
