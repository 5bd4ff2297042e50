"""The public page cache: anonymous readers share the front page and listings, nobody shares an
article or a signed-in reader's page, and publishing shows the new story at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from masthead.access.identity import METER_COOKIE
from masthead.core.models import PublicationSettings
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
    english = client.get("/", headers={"Accept-Language": "en"})
    japanese = client.get("/", headers={"Accept-Language": "ja"})

    assert japanese["X-Page-Cache"] == "miss"
    assert english["Content-Language"] != japanese["Content-Language"]


def test_page_cache_off_keeps_nothing(client, pub, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 0

    response, queries = get_twice(client, "/")

    assert "X-Page-Cache" not in response
    assert queries > 0
    assert "public" not in response.get("Cache-Control", "")
