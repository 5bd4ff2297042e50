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
