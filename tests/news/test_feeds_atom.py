"""Atom feeds beside RSS: what a feed reader gets, and never a gated article's text.

Free (and sponsored, which are always free) stories come whole in `<content>`; metered,
registered-only and subscribers-only stories carry their standfirst only. Section pages and every
page's head point feed readers at both feeds. Parsed with the standard library (defusedxml).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from defusedxml import ElementTree as ET
from django.utils import timezone
from wagtail.models import Site

from masthead.core.models import PublicationSettings
from masthead.sponsored.models import Sponsor
from tests.builders import canary_for, make_article, make_image

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://news.example.com:8443"


@pytest.fixture(autouse=True)
def _site_url(settings):
    # Not the test client's host: every link must name the site URL, not the host fetched on.
    settings.MASTHEAD_SITE_URL = SITE


@pytest.fixture
def stories(pub):
    PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    return {
        "metered": make_article(pub, access="metered", title="Metered story"),
        "registered": make_article(pub, access="registered", title="Registered story"),
        "subscribers": make_article(
            pub, section=pub.sections[1], access="subscribers", title="Subscriber story"
        ),
        "free": make_article(pub, access="free", title="Free story"),
        "sponsored": make_article(pub, access="subscribers", sponsor=sponsor, title="Sponsored story"),
    }


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return response, ET.fromstring(response.content)


def entries_by_title(feed):
    # By headline; a sponsored story's title may carry a "Sponsored:" marker before it.
    return {
        entry.findtext(f"{ATOM}title").removeprefix("Sponsored: "): entry
        for entry in feed.findall(f"{ATOM}entry")
    }


def test_site_atom_feed_is_a_complete_atom_document(client, stories):
    _, feed = atom(client, "/feeds/latest/atom/")

    assert feed.tag == f"{ATOM}feed"
    # RFC 4287: a feed has an id, a title, an updated time, an author and a link to itself.
    name = PublicationSettings.for_site(Site.objects.get(is_default_site=True)).name
    assert feed.findtext(f"{ATOM}title") == name
    assert feed.findtext(f"{ATOM}id") == f"{SITE}/feeds/latest/atom/"
    assert feed.findtext(f"{ATOM}updated")
    # The publication answers for any entry without a byline.
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == name
    self_link = [link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert [link.get("href") for link in self_link] == [f"{SITE}/feeds/latest/atom/"]
    assert list(entries_by_title(feed)) == [
        "Sponsored story", "Free story", "Subscriber story", "Registered story", "Metered story"
    ]  # fmt: skip
    by_title = entries_by_title(feed)
    for article in stories.values():
        entry = by_title[article.title]
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}link").get("href") == f"{SITE}{article.url}"
        assert entry.findtext(f"{ATOM}summary") == article.standfirst
        assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Ada Reporter"


def test_free_stories_come_whole_and_gated_stories_never_do(client, stories):
    response, feed = atom(client, "/feeds/latest/atom/")
    by_title = entries_by_title(feed)

    for name in ("free", "sponsored"):
        article = stories[name]
        content = by_title[article.title].find(f"{ATOM}content")
        assert content is not None and content.get("type") == "html"
        # The whole story, down to its last paragraph.
        assert "Paragraph 1 of story" in content.text
        assert canary_for(article.slug) in content.text
    for name in ("metered", "registered", "subscribers"):
        article = stories[name]
        assert by_title[article.title].find(f"{ATOM}content") is None
        assert canary_for(article.slug) not in response.content.decode()
    body = response.content.decode()
    for name in ("metered", "registered", "subscribers"):
        slug = stories[name].slug.split("-")[1]
        assert f"of story {slug}: ordinary reporting" not in body


def test_sponsored_story_links_are_marked_sponsored_in_the_feed_too(client, pub):
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    article = make_article(pub, access="free", sponsor=sponsor, title="Sponsored with a link")
    article.body = [{"type": "paragraph", "value": '<p>See <a href="https://acme.example/">Acme</a>.</p>'}]
    article.save_revision().publish()

    _, feed = atom(client, "/feeds/latest/atom/")

    content = entries_by_title(feed)["Sponsored with a link"].findtext(f"{ATOM}content")
    assert '<a href="https://acme.example/" rel="sponsored' in content


def test_links_and_images_in_a_story_name_the_site_url(client, pub):
    related = make_article(pub, access="free", title="Earlier story")
    image = make_image("Body photo")
    article = make_article(pub, access="free", title="Story with a photo")
    article.body = [
        {"type": "image", "value": {"image": image.pk, "caption": "Scene", "credit": "Photographer"}},
        {"type": "related_article", "value": {"article": related.pk, "label": "Read more"}},
        {"type": "paragraph", "value": "<p>The end.</p>"},
    ]
    article.save_revision().publish()

    response, feed = atom(client, "/feeds/latest/atom/")

    content = entries_by_title(feed)["Story with a photo"].findtext(f"{ATOM}content")
    soup = BeautifulSoup(content, "html.parser")
    sources = [img["src"] for img in soup.find_all("img")]
    sources += [url.split()[0] for tag in soup.find_all(srcset=True) for url in tag["srcset"].split(",")]
    links = [a["href"] for a in soup.find_all("a", href=True)]
    assert sources and all(src.startswith(f"{SITE}/") for src in sources), sources
    assert f"{SITE}{related.url}" in links
    # No address in the feed names another host of ours (the namespace is Atom's own).
    for url in re.findall(r'https?://[^\s"<>&]+', response.content.decode()):
        assert url.startswith(SITE) or url.startswith("http://www.w3.org/2005/Atom"), url


def test_section_atom_feed_lists_only_that_section(client, pub, stories):
    section = pub.sections[1]
    _, feed = atom(client, f"/feeds/section/{section.slug}/atom/")

    assert section.title in feed.findtext(f"{ATOM}title")
    assert feed.findtext(f"{ATOM}id") == f"{SITE}/feeds/section/{section.slug}/atom/"
    assert list(entries_by_title(feed)) == ["Subscriber story"]
    assert client.get("/feeds/section/no-such-section/atom/").status_code == 404


def test_section_page_and_every_page_head_point_at_the_feeds(client, pub, stories):
    section = pub.sections[0]
    soup = BeautifulSoup(client.get(section.url).content, "html.parser")
    # Feeds are the typed alternates (the hreflang ones name the page's language versions).
    alternates = {(link["type"], link["href"]) for link in soup.find_all("link", rel="alternate", type=True)}
    assert ("application/rss+xml", f"/feeds/section/{section.slug}/") in alternates
    assert ("application/atom+xml", f"/feeds/section/{section.slug}/atom/") in alternates
    for url in ("/", section.url, stories["metered"].url):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        alternates = {
            (link["type"], link["href"]) for link in soup.head.find_all("link", rel="alternate", type=True)
        }
        assert ("application/rss+xml", "/feeds/latest/") in alternates, url
        assert ("application/atom+xml", "/feeds/latest/atom/") in alternates, url
    # Every alternate feed link answers with a feed.
    for link in BeautifulSoup(client.get(section.url).content, "html.parser").find_all(
        "link", rel="alternate", type=True
    ):
        if link["type"].endswith("+xml"):
            response = client.get(link["href"])
            assert response.status_code == 200 and response["Content-Type"].startswith(link["type"])


def test_unpublished_and_expired_stories_leave_the_atom_feeds(client, pub, stories):
    stories["metered"].unpublish()
    leaving = stories["free"]
    leaving.expire_at = timezone.now() + timedelta(minutes=5)
    leaving.save_revision().publish()

    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        for url in ("/feeds/latest/atom/", f"/feeds/section/{pub.sections[0].slug}/atom/"):
            _, feed = atom(client, url)
            titles = list(entries_by_title(feed))
            assert "Metered story" not in titles and "Free story" not in titles, url
            assert "Registered story" in titles


def test_atom_feed_is_kept_for_anonymous_readers_and_dropped_on_publish(client, pub, stories, settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    first = client.get("/feeds/latest/atom/")
    again = client.get("/feeds/latest/atom/")
    assert first["Cache-Control"].startswith("public")
    assert again["X-Page-Cache"] == "hit" and again.content == first.content

    make_article(pub, access="free", title="Breaking story")

    _, feed = atom(client, "/feeds/latest/atom/")
    assert next(iter(entries_by_title(feed))) == "Breaking story"
