"""The public page cache: anonymous readers share the front page and listings, nobody shares an
article or a signed-in reader's page, and publishing shows the new story at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from masthead.access.identity import METER_COOKIE
from masthead.core import page_cache
from masthead.core.models import PublicationSettings
from masthead.core.page_cache import ENTRY_PREFIX
from tests.builders import make_article, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60


@pytest.fixture
def pub(db):
    pub = make_publication(("Politics", "Business"))
    # The settings row exists before the first reader (creating it counts as an edit).
    PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    make_article(pub, section=pub.sections[0], title="Ministers meet in Valdora")
    return pub


def get_twice(client, url, **headers):
    client.get(url, headers=headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    return response, len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/", "/politics/", "/feeds/latest/", "/sitemap.xml"])
def test_anonymous_reader_gets_a_kept_public_page_without_queries(client, pub, url):
    response, queries = get_twice(client, url)

    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"
    assert queries == 0
    assert response["Cache-Control"] == "public, max-age=60"


def test_topic_and_author_pages_are_kept_too(client, pub):
    for url in (f"/topics/{pub.topic.slug}/", f"/authors/{pub.author.slug}/"):
        response, queries = get_twice(client, url)
        assert response.status_code == 200 and response["X-Page-Cache"] == "hit" and queries == 0


def test_kept_page_is_the_same_page_with_its_security_headers(client, pub):
    first = client.get("/")
    second = client.get("/")

    assert second.content == first.content
    assert b"Ministers meet in Valdora" in second.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


def test_meter_cookie_does_not_stop_sharing_the_front_page(client, pub):
    client.get("/")
    client.cookies[METER_COOKIE] = "anything"

    response = client.get("/")

    assert response["X-Page-Cache"] == "hit"


def test_articles_are_never_kept_or_public(client, pub):
    article = pub.articles[0]

    first = client.get(article.url)
    client.cookies.clear()  # a brand-new reader, like the first
    second = client.get(article.url)

    assert second.status_code == 200
    assert "X-Page-Cache" not in second
    assert second["Cache-Control"] == "private, no-store"
    # Each fresh reader was counted and given their own meter id.
    assert first.cookies[METER_COOKIE].value != second.cookies[METER_COOKIE].value


def test_signed_in_reader_neither_gets_nor_leaves_a_kept_page(client, pub, django_user_model):
    client.get("/")  # an anonymous copy is kept
    user = django_user_model.objects.create_user(email="reader@example.com", password="pw-123456789")
    client.force_login(user)

    response = client.get("/")

    assert "X-Page-Cache" not in response
    assert b"Your account" in response.content
    assert "public" not in response.get("Cache-Control", "")
    client.logout()
    client.cookies.clear()
    assert b"Your account" not in client.get("/").content


def test_publishing_a_story_shows_it_on_the_kept_front_page_at_once(client, pub):
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"

    make_article(pub, section=pub.sections[1], title="Harbour strike ends after nine days")
    response = client.get("/")

    assert response["X-Page-Cache"] == "miss"
    assert b"Harbour strike ends after nine days" in response.content


def test_unpublishing_removes_the_story_from_the_kept_section_page(client, pub):
    article = make_article(pub, section=pub.sections[0], title="Budget vote delayed")
    assert b"Budget vote delayed" in client.get("/politics/").content

    article.unpublish()

    assert b"Budget vote delayed" not in client.get("/politics/").content


def test_languages_are_kept_apart(client, pub):
    english = client.get("/")
    japanese = client.get("/ja/")

    assert japanese["X-Page-Cache"] == "miss"
    assert (english["Content-Language"], japanese["Content-Language"]) == ("en", "ja")
    # The language is the URL's: a browser asking for Japanese shares the kept English page.
    again = client.get("/", headers={"Accept-Language": "ja"})
    assert again["X-Page-Cache"] == "hit" and again["Content-Language"] == "en"


def test_page_cache_off_keeps_nothing(client, pub, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0

    response, queries = get_twice(client, "/")

    assert "X-Page-Cache" not in response
    assert queries > 0
    assert "public" not in response.get("Cache-Control", "")


class KeptPageWriter:
    """The shared cache as the page cache sees it, noting every kept page it is asked to store."""

    def __init__(self, real):
        self.real = real
        self.kept_keys: set[str] = set()

    def set(self, key, *args, **kwargs):
        if key.startswith(ENTRY_PREFIX):
            self.kept_keys.add(key)
        return self.real.set(key, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def kept_pages(monkeypatch):
    writer = KeptPageWriter(page_cache.cache)
    monkeypatch.setattr(page_cache, "cache", writer)
    return writer


@pytest.mark.parametrize("url", ["/", "/politics/", "/feeds/latest/", "/sitemap.xml"])
def test_a_thousand_junk_query_strings_are_served_the_one_kept_page(client, pub, kept_pages, url):
    canonical = client.get(url)
    junk = [f"r={n}" for n in range(700)] + [f"utm_source=x{n}&fbclid={n}" for n in range(200)]
    junk += [f"page=1&r={n}" for n in range(50)] + [f"print=&_={n}" for n in range(50)]

    statuses, hits, same = set(), 0, 0
    with CaptureQueriesContext(connection) as captured:
        for query in junk:
            response = client.get(f"{url}?{query}")
            statuses.add(response.status_code)
            hits += response.get("X-Page-Cache") == "hit"
            same += response.content == canonical.content
    assert len(junk) == 1000
    assert statuses == {200}
    assert hits == 1000 and same == 1000
    assert len(captured.captured_queries) == 0
    assert len(kept_pages.kept_keys) == 1  # the canonical page, kept by the first request


def test_junk_on_a_cold_cache_keeps_one_page_under_the_canonical_url(client, pub, kept_pages):
    first = client.get("/?r=cold-1")  # nothing kept yet: rendered, and kept as the front page
    assert first["X-Page-Cache"] == "miss"

    for n in range(200):
        assert client.get(f"/?r=cold-{n + 2}")["X-Page-Cache"] == "hit"
    assert client.get("/")["X-Page-Cache"] == "hit"
    assert len(kept_pages.kept_keys) == 1


def test_page_numbers_on_a_page_that_does_not_paginate_are_the_front_page(client, pub, kept_pages):
    client.get("/")
    for n in range(2, 300):
        assert client.get(f"/?page={n}")["X-Page-Cache"] == "hit"
    assert len(kept_pages.kept_keys) == 1


@pytest.fixture
def long_section(pub):
    # 13 stories: one more than a section page lists, so page 2 holds exactly the oldest.
    titles = [f"Council report number {n:02d}" for n in range(1, 14)]
    for title in titles:
        make_article(pub, section=pub.sections[1], title=title)
    return titles


def test_a_real_page_number_still_gives_that_page(client, pub, long_section, kept_pages):
    oldest, newest = long_section[0].encode(), long_section[-1].encode()

    first = client.get("/business/")
    second = client.get("/business/?page=2")
    second_again = client.get("/business/?utm_source=newsletter&page=2&r=9")
    padded = client.get("/business/?page=02")

    assert newest in first.content and oldest not in first.content
    assert oldest in second.content and newest not in second.content
    assert second_again["X-Page-Cache"] == "hit" and second_again.content == second.content
    assert padded["X-Page-Cache"] == "hit" and padded.content == second.content
    assert client.get("/business/?page=1&r=1").content == first.content
    assert len(kept_pages.kept_keys) == 2


def test_out_of_range_page_numbers_show_the_last_page_and_add_no_entries(
    client, pub, long_section, kept_pages
):
    client.get("/business/")
    last = client.get("/business/?page=2")

    for n in range(3, 103):
        response = client.get(f"/business/?page={n}")
        assert response.status_code == 200 and response.content == last.content
    assert len(kept_pages.kept_keys) == 2


def test_the_print_view_is_kept_apart_from_the_page(client, pub):
    page = client.get("/politics/")
    printed = client.get("/politics/?print=1&r=2")
    printed_again = client.get("/politics/?r=3&print=yes")

    assert b"is-print" not in page.content
    assert b"is-print" in printed.content
    assert printed_again["X-Page-Cache"] == "hit" and b"is-print" in printed_again.content


def test_a_kept_page_cannot_promise_a_parameter_the_cache_does_not_key_on(rf):
    request = rf.get("/politics/?sort=oldest")

    with pytest.raises(ValueError, match="sort"):
        page_cache.mark_public(request, HttpResponse("a listing"), reads=("sort",))
