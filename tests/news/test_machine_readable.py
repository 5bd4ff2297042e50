"""Feeds, sitemap and robots.txt: well-formed, complete, and never a copy of the body."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.builders import canary_for, make_article

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def articles(pub):
    return [
        make_article(pub, section=pub.sections[0], access="metered", title="Metered story"),
        make_article(pub, section=pub.sections[1], access="subscribers", title="Subscriber story"),
        make_article(pub, section=pub.sections[0], access="free", title="Free story"),
    ]


def test_site_feed_lists_every_article_with_standfirst_and_no_body(client, articles):
    response = client.get("/feeds/latest/")

    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    channel = ET.fromstring(body).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Free story", "Subscriber story", "Metered story"]
    for item, article in zip(items, reversed(articles), strict=True):
        assert item.findtext("description") == article.standfirst
        assert item.findtext("link").endswith(article.url)
        assert item.findtext("pubDate")
    for article in articles:
        assert canary_for(article.slug) not in body
        assert "ordinary reporting" not in body


def test_section_feed_lists_only_that_section(client, pub, articles):
    response = client.get(f"/feeds/section/{pub.sections[0].slug}/")

    channel = ET.fromstring(response.content).find("channel")
    assert "Politics" in channel.findtext("title")
    assert [i.findtext("title") for i in channel.findall("item")] == ["Free story", "Metered story"]
    assert "ordinary reporting" not in response.content.decode()


def test_unknown_section_feed_is_404(client, pub):
    assert client.get("/feeds/section/no-such-section/").status_code == 404


def test_feed_leaves_out_unpublished_articles(client, pub, articles):
    articles[0].unpublish()

    titles = [i.findtext("title") for i in ET.fromstring(client.get("/feeds/latest/").content).iter("item")]

    assert "Metered story" not in titles


def test_sitemap_lists_every_live_article(client, pub, articles):
    draft = make_article(pub, title="Pulled story")
    draft.unpublish()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = [loc.text for loc in ET.fromstring(response.content).findall("s:url/s:loc", SITEMAP_NS)]
    for article in articles:
        assert any(loc.endswith(article.url) for loc in locations), article.url
    assert not any(loc.endswith(draft.url) for loc in locations)


def test_robots_txt_keeps_private_pages_out_and_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    for path in ("/admin/", "/accounts/", "/api/", "/search/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /" not in lines
