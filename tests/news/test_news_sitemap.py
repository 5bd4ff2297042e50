"""The Google News sitemap, the sitemap index and the shape of the ordinary sitemap.

What a news crawler reads: stories of the last two days (one published 47 hours ago is in, one
49 hours ago is out), each with the publication's name and language, headline and publication
date, at most 1,000 of them; never a sponsored, unpublished or expired one. The ordinary sitemap
is checked against the sitemaps.org schema's rules by structure (no network, no XSD download).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
import time_machine
from defusedxml import ElementTree as ET
from django.utils import timezone
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.news import news_sitemap
from masthead.sponsored.models import Sponsor
from tests.builders import make_article

pytestmark = pytest.mark.django_db

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
SITE = "https://news.example.com:8443"
# W3C Datetime as the sitemaps.org schema allows it: a date, or a date and time with a zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
CHANGEFREQ = {"always", "hourly", "daily", "weekly", "monthly", "yearly", "never"}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.MASTHEAD_SITE_URL = SITE


@pytest.fixture
def publication_name(pub):
    settings = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "The Test Ledger & Post"
    settings.save()
    return settings.name


def published_hours_ago(pub, hours, **kwargs):
    with time_machine.travel(timezone.now() - timedelta(hours=hours), tick=False):
        return make_article(pub, **kwargs)


def news_entries(client):
    response = client.get("/news-sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{S}urlset"
    return {url.findtext(f"{NEWS}news/{NEWS}title"): url for url in root.findall(f"{S}url")}


def test_news_sitemap_lists_the_last_two_days_with_what_google_news_reads(client, pub, publication_name):
    recent = published_hours_ago(pub, 47, access="subscribers", title="Forty-seven hours old")
    published_hours_ago(pub, 49, title="Forty-nine hours old")
    today = make_article(pub, access="free", title="This morning's story")

    entries = news_entries(client)

    assert list(entries) == ["This morning's story", "Forty-seven hours old"]
    for article in (today, recent):
        url = entries[article.title]
        assert [child.tag for child in url] == [f"{S}loc", f"{NEWS}news"]
        assert url.findtext(f"{S}loc") == f"{SITE}{article.url}"
        news = url.find(f"{NEWS}news")
        assert [child.tag for child in news] == [
            f"{NEWS}publication", f"{NEWS}publication_date", f"{NEWS}title"
        ]  # fmt: skip
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "The Test Ledger & Post"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        published = news.findtext(f"{NEWS}publication_date")
        assert W3C_DATETIME.match(published), published
        assert datetime.fromisoformat(published) == article.first_published_at.replace(microsecond=0)


def test_the_window_moves_on_with_the_clock(client, pub):
    published_hours_ago(pub, 47, title="Forty-seven hours old")

    assert "Forty-seven hours old" in news_entries(client)
    with time_machine.travel(timezone.now() + timedelta(hours=2), tick=False):
        assert "Forty-seven hours old" not in news_entries(client)


def test_sponsored_unpublished_expired_and_gated_text_stay_out(client, pub):
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    make_article(pub, access="free", sponsor=sponsor, title="Sponsored piece")
    make_article(pub, title="Pulled story").unpublish()
    expiring = make_article(pub, access="free", title="Expiring story")
    expiring.expire_at = timezone.now() + timedelta(minutes=5)
    expiring.save_revision().publish()
    make_article(pub, access="subscribers", title="Kept story")

    assert set(news_entries(client)) == {"Expiring story", "Kept story"}
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        response = client.get("/news-sitemap.xml")
        assert set(news_entries(client)) == {"Kept story"}
    assert "ordinary reporting" not in response.content.decode()
    assert "CANARY" not in response.content.decode()


def test_no_more_than_the_limit_newest_first(client, pub, monkeypatch):
    monkeypatch.setattr(news_sitemap, "NEWS_LIMIT", 2)
    for hours in (3, 2, 1):
        published_hours_ago(pub, hours, title=f"{hours} hours old")

    assert list(news_entries(client)) == ["1 hours old", "2 hours old"]


def test_the_limit_is_google_news_own():
    assert news_sitemap.NEWS_LIMIT == 1000
    assert news_sitemap.NEWS_WINDOW.total_seconds() == 2 * 24 * 60 * 60


def test_news_language_is_the_iso_639_code():
    assert news_sitemap.news_language("en") == "en"
    assert news_sitemap.news_language("en-GB") == "en"
    assert news_sitemap.news_language("ja") == "ja"
    assert news_sitemap.news_language("zh-hans") == "zh-cn"


def test_index_and_robots_txt_lead_crawlers_to_every_sitemap(client, pub):
    make_article(pub, title="Any story")

    response = client.get("/sitemap-index.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{S}sitemapindex"
    locations = [loc.text for loc in root.findall(f"{S}sitemap/{S}loc")]
    assert locations == [f"{SITE}/sitemap.xml", f"{SITE}/news-sitemap.xml"]
    for location in locations:
        listed = client.get(location.removeprefix(SITE))
        assert listed.status_code == 200 and ET.fromstring(listed.content).tag == f"{S}urlset"

    robots = client.get("/robots.txt").content.decode().splitlines()
    for path in ("/sitemap-index.xml", "/sitemap.xml", "/news-sitemap.xml"):
        assert f"Sitemap: {SITE}{path}" in robots


def test_ordinary_sitemap_keeps_to_the_sitemaps_org_schema(client, pub):
    articles = [make_article(pub, title=f"Story {n}") for n in range(3)]

    response = client.get("/sitemap.xml")

    root = ET.fromstring(response.content)
    assert root.tag == f"{S}urlset"
    urls = root.findall(f"{S}url")
    # Front page, sections, stories: each in English and in Japanese (/ja/).
    assert len(urls) == 2 * (1 + len(pub.sections) + len(articles))
    allowed = [f"{S}loc", f"{S}lastmod", f"{S}changefreq", f"{S}priority"]
    for url in urls:
        tags = [child.tag for child in url]
        own = [tag for tag in tags if tag.startswith(S)]
        # loc is required and first; the others at most once each, in the schema's order; then
        # elements of other namespaces only (the schema's closing xsd:any ##other: hreflang links).
        assert tags[0] == f"{S}loc" and own == sorted(set(own), key=allowed.index), tags
        assert tags[: len(own)] == own and all(tag == f"{XHTML}link" for tag in tags[len(own) :]), tags
        loc = url.findtext(f"{S}loc")
        assert loc.startswith(f"{SITE}/") and len(loc) <= 2048
        if (lastmod := url.findtext(f"{S}lastmod")) is not None:
            assert W3C_DATETIME.match(lastmod), lastmod
        if (changefreq := url.findtext(f"{S}changefreq")) is not None:
            assert changefreq in CHANGEFREQ
        if (priority := url.findtext(f"{S}priority")) is not None:
            assert 0.0 <= float(priority) <= 1.0
    locations = [url.findtext(f"{S}loc") for url in urls]
    assert len(locations) == len(set(locations))
    for article in articles:
        assert f"{SITE}{article.url}" in locations


def test_news_sitemap_is_kept_and_dropped_on_publish(client, pub, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    make_article(pub, title="First story")
    client.get("/news-sitemap.xml")
    again = client.get("/news-sitemap.xml")
    assert again["X-Page-Cache"] == "hit" and again["Cache-Control"].startswith("public")

    make_article(pub, title="Second story")

    assert list(news_entries(client)) == ["Second story", "First story"]


def test_index_lists_every_page_of_a_long_sitemap(client, pub, monkeypatch):
    from masthead.news.sitemap import NewsSitemap

    monkeypatch.setattr(NewsSitemap, "limit", 2)  # front page, 3 sections, 2 stories: 3 pages
    make_article(pub, title="One")
    make_article(pub, title="Two")

    root = ET.fromstring(client.get("/sitemap-index.xml").content)

    locations = [loc.text for loc in root.findall(f"{S}sitemap/{S}loc")]
    assert locations == [
        f"{SITE}/sitemap.xml",
        f"{SITE}/sitemap.xml?p=2",
        f"{SITE}/sitemap.xml?p=3",
        f"{SITE}/news-sitemap.xml",
    ]
    listed = set()
    for location in locations[:3]:
        page = ET.fromstring(client.get(location.removeprefix(SITE)).content)
        listed.update(loc.text for loc in page.findall(f"{S}url/{S}loc"))
    assert len(listed) == 2 * (1 + len(pub.sections) + 2)  # each in English and in Japanese
