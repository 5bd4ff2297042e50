"""What workers keep never outlives an expiry: the routed article kept per generation is checked
against the clock on every request, and a kept public page (front page, section) lives no longer
than the soonest expiry among live pages — in the cache and in its `max-age`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from masthead.core.page_cache import HIT_HEADER
from tests.builders import canary_for, make_article, make_publication

# Outside a test transaction: per-worker copies are kept only for committed reads.
pytestmark = pytest.mark.django_db(transaction=True)


def max_age(response: Any) -> int:
    found = re.search(r"max-age=(\d+)", response.get("Cache-Control", ""))
    assert found, response.get("Cache-Control")
    return int(found.group(1))


def test_a_routed_article_kept_by_the_worker_is_not_found_once_it_expires(wagtail_roots: Any) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        pub = make_publication()
        article = make_article(pub, access="free")
        article.expire_at = timezone.now() + timedelta(minutes=10)
        article.save_revision().publish()
        client = Client()
        # given: two reads, the second served from the worker's kept route for this generation
        for _ in range(2):
            assert canary_for(article.slug) in client.get(article.url).content.decode()

        clock.shift(timedelta(minutes=10))  # exactly at the expiry, with no edit since

        response = client.get(article.url)
        assert response.status_code == 404
        assert canary_for(article.slug) not in response.content.decode()


def test_a_kept_front_page_lives_no_longer_than_the_next_expiry(wagtail_roots: Any, settings: Any) -> None:
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        pub = make_publication()
        make_article(pub, access="free", title="Tidewater port stays open")
        leaving = make_article(pub, access="free", title="Tidewater ferry strike")
        leaving.expire_at = timezone.now() + timedelta(seconds=20)
        leaving.save_revision().publish()
        client = Client()

        first = client.get("/")
        assert first[HIT_HEADER] == "miss" and "Tidewater ferry strike" in first.content.decode()
        assert 0 < max_age(first) <= 20, "no shared cache may keep it past the expiry either"
        clock.shift(timedelta(seconds=10))
        assert client.get("/")[HIT_HEADER] == "hit"  # still kept: the lifetime is real, not zero

        clock.shift(timedelta(seconds=10))  # the expiry moment: the kept copy is no longer served
        after = client.get("/")
        assert after.get(HIT_HEADER) != "hit"
        assert "Tidewater ferry strike" not in after.content.decode()
        assert "Tidewater port stays open" in after.content.decode()
        # No expiry ahead: a kept page gets the whole configured lifetime again.
        assert max_age(after) == 60


def test_a_page_with_no_expiry_ahead_is_kept_for_the_configured_lifetime(
    wagtail_roots: Any, settings: Any
) -> None:
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    pub = make_publication()
    make_article(pub, access="free")
    response = Client().get(pub.sections[0].url)
    assert response[HIT_HEADER] == "miss" and max_age(response) == 60


def test_when_a_kept_page_runs_out_one_reader_rebuilds_it_and_the_others_get_the_last_copy(
    wagtail_roots: Any, settings: Any
) -> None:
    # Every minute the front page's time is up; without this, every reader arriving in that
    # moment rendered it at once (the plain front page's p99 in make bench).
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        pub = make_publication()
        make_article(pub, access="free", title="Tidewater port stays open")
        first = Client().get("/")
        assert first[HIT_HEADER] == "miss"

        clock.shift(timedelta(seconds=61))
        rebuilder = Client().get("/")  # the first after its time: takes the rebuild on itself
        clock.shift(timedelta(seconds=1))
        fresh = Client().get("/")

    assert rebuilder[HIT_HEADER] == "miss" and max_age(rebuilder) == 60
    assert fresh[HIT_HEADER] == "hit"


def someone_else_is_rebuilding(monkeypatch: Any) -> list[str]:
    """Another worker holds the right to rebuild every kept page; returns the keys asked about."""
    from django.core.cache import cache

    from masthead.core import page_cache

    asked: list[str] = []
    real_add = cache.add

    def add(key: str, *args: Any, **kwargs: Any) -> bool:
        if key.startswith(page_cache.REBUILD_PREFIX):
            asked.append(key)
            return False
        return bool(real_add(key, *args, **kwargs))

    monkeypatch.setattr(cache, "add", add)
    return asked


def test_a_reader_arriving_during_the_rebuild_gets_the_copy_that_just_ran_out_never_kept_longer(
    wagtail_roots: Any, settings: Any, monkeypatch: Any
) -> None:
    from masthead.core.page_cache import REBUILD_GRACE_SECONDS

    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        pub = make_publication()
        make_article(pub, access="free", title="Tidewater port stays open")
        assert Client().get("/")[HIT_HEADER] == "miss"
        clock.shift(timedelta(seconds=61))
        asked = someone_else_is_rebuilding(monkeypatch)

        meanwhile = Client().get("/")
        clock.shift(timedelta(seconds=REBUILD_GRACE_SECONDS))
        too_late = Client().get("/")  # past the grace: rendered, whoever holds the rebuild

    assert asked, "the reader asked whether someone else rebuilds the page"
    assert meanwhile[HIT_HEADER] == "stale" and meanwhile["Cache-Control"] == "public, max-age=0"
    assert "Tidewater port stays open" in meanwhile.content.decode()
    assert too_late[HIT_HEADER] == "miss"


def test_a_page_cut_short_by_an_expiry_is_never_handed_out_late_even_during_a_rebuild(
    wagtail_roots: Any, settings: Any, monkeypatch: Any
) -> None:
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        pub = make_publication()
        leaving = make_article(pub, access="free", title="Tidewater ferry strike")
        leaving.expire_at = timezone.now() + timedelta(seconds=20)
        leaving.save_revision().publish()
        assert "Tidewater ferry strike" in Client().get("/").content.decode()
        clock.shift(timedelta(seconds=21))
        someone_else_is_rebuilding(monkeypatch)

        after = Client().get("/")

    assert after[HIT_HEADER] == "miss"
    assert "Tidewater ferry strike" not in after.content.decode()
