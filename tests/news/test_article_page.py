"""An article page shows every part of a news article, to readers and to machines."""

from __future__ import annotations

import datetime as dt

import pytest

from masthead.sponsored.models import Sponsor
from tests.builders import canary_for, make_article, make_image
from tests.news.conftest import rich_body
from tests.news.pages import assert_clean_markup, json_ld, soup_of, visible_text

pytestmark = pytest.mark.django_db


def test_free_article_shows_the_whole_anatomy(client, pub, free_article):
    free_article.dateline = "Valdora, Kessen"
    free_article.updated_at = dt.datetime(2026, 3, 2, 15, 30, tzinfo=dt.UTC)
    free_article.save_revision().publish()

    soup = soup_of(client.get(free_article.url))

    kicker = soup.select_one(".article-header .kicker a")
    assert kicker.get_text(strip=True) == pub.topic.name
    assert kicker["href"] == f"/topics/{pub.topic.slug}/"
    assert soup.find("h1").get_text(strip=True) == "Ministers meet in Valdora"
    assert soup.select_one(".standfirst").get_text(strip=True) == free_article.standfirst
    figure = soup.select_one("figure.hero")
    caption = figure.find("figcaption").get_text(" ", strip=True)
    assert "A test caption" in caption and "Test Photographer" in caption
    places = [p.get_text(strip=True) for p in soup.select(".dateline__place")]
    assert places == ["Valdora", "Kessen"]
    byline = soup.select_one(".byline a")
    assert byline.get_text(strip=True) == "Ada Reporter"
    assert byline["href"] == f"/authors/{pub.author.slug}/"
    published = soup.select_one("time.published")
    # Whole seconds: the Nu checker refuses more than three digits of a second in `datetime`.
    assert published["datetime"].endswith("Z")
    assert dt.datetime.fromisoformat(published["datetime"]) == free_article.first_published_at.replace(
        microsecond=0
    )
    assert soup.select_one("time.updated")["datetime"].startswith("2026-03-02T15:30:00")
    # Free to everyone: the whole body is there, last paragraph included.
    assert canary_for(free_article.slug) in visible_text(soup)


def test_hero_and_body_images_use_sized_renditions(client, pub):
    article = make_article(pub, access="free", with_image=True)
    article.body = rich_body(paragraphs=2, images=2)
    article.save_revision().publish()

    soup = soup_of(client.get(article.url))

    hero = soup.select_one("figure.hero img")
    assert hero["loading"] == "eager"
    assert len(hero["srcset"].split(",")) == 3
    assert hero["width"] and hero["height"]
    body_images = soup.select(".article-body figure.block-image img")
    assert len(body_images) == 2
    for img in body_images:
        assert img["loading"] == "lazy" and img["srcset"] and img["width"] and img["height"]
    captions = [c.get_text(" ", strip=True) for c in soup.select(".block-image figcaption")]
    assert captions == ["Scene 0 Photo: Photographer 0", "Scene 1 Photo: Photographer 1"]


def test_every_block_type_renders(client, pub):
    related = make_article(pub, access="free", title="The earlier story")
    article = make_article(pub, access="free")
    article.body = rich_body(paragraphs=1, images=1, related=related)
    article.save_revision().publish()

    html = client.get(article.url).content.decode()
    soup = soup_of(client.get(article.url))

    assert soup.select_one("h2.block-heading").get_text() == "What happened"
    assert "We will not be moved." in soup.select_one(".block-pull-quote blockquote").get_text()
    assert soup.select_one(".block-fact-box").find("li").get_text() == "One"
    assert soup.select_one(".block-related a")["href"] == related.url
    assert_clean_markup(html)


def test_share_links_and_print_button_are_plain_links(client, free_article):
    soup = soup_of(client.get(free_article.url))

    hrefs = [a["href"] for a in soup.select(".share a")]
    assert any(h.startswith("https://www.facebook.com/sharer/") for h in hrefs)
    assert any(h.startswith("https://www.linkedin.com/sharing/") for h in hrefs)
    assert any(h.startswith("https://x.com/intent/") for h in hrefs)
    assert any(h.startswith("mailto:") for h in hrefs)
    assert "?print=1" in hrefs


def test_print_view_marks_the_page_for_printing(client, free_article):
    soup = soup_of(client.get(free_article.url + "?print=1"))

    assert "is-print" in soup.body["class"]
    assert f"http://testserver{free_article.url}" in soup.select_one(".article-footer .print-only").get_text()


def test_article_page_markup_is_clean(client, free_article):
    html = client.get(free_article.url).content.decode()

    assert_clean_markup(html)
    text = visible_text(soup_of(client.get(free_article.url)))
    for icon_name in ("facebook", "linkedin", "mail", "print", "menu", "search", "rss"):
        assert f"icon--{icon_name}" not in text


def test_json_ld_describes_the_article(client, pub, free_article):
    [data, _breadcrumbs] = json_ld(soup_of(client.get(free_article.url)))

    assert data["@type"] == "NewsArticle"
    assert data["headline"] == free_article.title
    assert data["description"] == free_article.standfirst
    assert data["image"][0].endswith(".jpg")
    assert dt.datetime.fromisoformat(data["datePublished"]) == free_article.first_published_at
    assert data["dateModified"]
    assert data["author"] == [
        {"@type": "Person", "name": "Ada Reporter", "url": f"http://testserver/authors/{pub.author.slug}/"}
    ]
    assert data["publisher"]["name"] == "The Meridian Ledger"
    assert data["publisher"]["logo"]["url"].startswith("http")
    assert data["articleSection"] == "Politics"
    assert "articleBody" not in data
    assert "isAccessibleForFree" not in data


@pytest.mark.parametrize("access", ["metered", "registered", "subscribers"])
def test_json_ld_marks_paid_articles_as_gated(client, pub, access):
    article = make_article(pub, access=access)

    [data, _breadcrumbs] = json_ld(soup_of(client.get(article.url)))

    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".article-body__paywalled",
    }
    assert "articleBody" not in data
    assert canary_for(article.slug) not in str(data)


def test_json_ld_cannot_be_closed_by_a_headline(client, pub):
    article = make_article(pub, access="free", title="Talks end </script><b>abruptly</b>")

    soup = soup_of(client.get(article.url))

    [data, _breadcrumbs] = json_ld(soup)
    assert data["headline"] == "Talks end </script><b>abruptly</b>"
    assert soup.find("b") is None


@pytest.fixture
def sponsor(db):
    return Sponsor.objects.create(
        name="Harbour Freight Co.",
        url="https://harbour-freight.example/",
        logo=make_image("Harbour Freight logo", size=(300, 80)),
        disclosure="This content was paid for by Harbour Freight Co. The newsroom was not involved.",
    )


def test_sponsored_article_is_labelled_and_discloses_its_sponsor(client, pub, sponsor):
    article = make_article(pub, sponsor=sponsor, access="metered")
    article.body = [
        {
            "type": "paragraph",
            "value": '<p>See <a href="https://harbour-freight.example/ships">our fleet</a> and '
            '<a href="/politics/">our politics coverage</a>.</p>',
        }
    ]
    article.save_revision().publish()

    soup = soup_of(client.get(article.url))
    text = visible_text(soup)

    assert "Sponsored content" in text
    assert "Harbour Freight Co." in text
    disclosure = soup.select_one("details.disclosure")
    assert disclosure.summary.get_text(strip=True) == "About sponsored content"
    assert sponsor.disclosure in disclosure.get_text()
    assert soup.select_one(".sponsor img")
    sponsor_link = soup.select_one(".sponsor a")
    assert "sponsored" in sponsor_link["rel"]
    outbound = soup.select_one('.article-body a[href^="https://"]')
    internal = soup.select_one('.article-body a[href="/politics/"]')
    assert "sponsored" in outbound["rel"]
    assert internal.get("rel") is None
    [data, _breadcrumbs] = json_ld(soup)
    assert data["sponsor"] == {
        "@type": "Organization",
        "name": "Harbour Freight Co.",
        "url": "https://harbour-freight.example/",
    }
    # Sponsored pieces are always free, whatever the access field says.
    assert "isAccessibleForFree" not in data


def test_ordinary_article_links_are_not_marked_sponsored(client, pub):
    article = make_article(pub, access="free")
    article.body = [{"type": "paragraph", "value": '<p><a href="https://gov.example/">Source</a></p>'}]
    article.save_revision().publish()

    soup = soup_of(client.get(article.url))

    assert soup.select_one('.article-body a[href^="https://"]').get("rel") is None


def test_several_authors_each_link_to_their_page(client, pub):
    from masthead.news.models import ArticleByline, Author

    article = make_article(pub, access="free")
    second = Author.objects.create(name="Bo Writer", slug="bo-writer", role="Economics editor")
    ArticleByline.objects.create(article=article, author=second, sort_order=1)

    soup = soup_of(client.get(article.url))

    links = [(a.get_text(), a["href"]) for a in soup.select(".byline a")]
    assert links == [("Ada Reporter", f"/authors/{pub.author.slug}/"), ("Bo Writer", "/authors/bo-writer/")]
    assert "Economics editor" in soup.select_one(".byline").get_text()


def test_publication_name_and_logo_come_from_the_settings(client, pub, free_article):
    from wagtail.models import Site

    from masthead.core.models import PublicationSettings

    settings = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "The Harbour Gazette"
    settings.logo = make_image("Gazette logo", size=(400, 80))
    settings.save()

    soup = soup_of(client.get(free_article.url))

    logo = soup.select_one(".masthead__title img")
    assert logo["alt"] == "The Harbour Gazette"
    assert soup.title.get_text().endswith("The Harbour Gazette")
    [data, _breadcrumbs] = json_ld(soup)
    assert data["publisher"]["name"] == "The Harbour Gazette"
    # The height-80 rendition (file names are random, so compare with the rendition itself).
    assert data["publisher"]["logo"]["url"].endswith(settings.logo.get_rendition("height-80").url)


def test_article_without_a_topic_uses_its_section_as_kicker(client, pub):
    article = make_article(pub, access="free")
    article.kicker = None
    article.save_revision().publish()

    kicker = soup_of(client.get(article.url)).select_one(".article-header .kicker a")

    assert (kicker.get_text(strip=True), kicker["href"]) == ("Politics", pub.sections[0].url)
