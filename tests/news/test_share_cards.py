"""Share cards: what a social network or messaging app shows for a shared link (Open Graph, X).

Each page type's tags are checked against the page's own data, as a crawler fetching the page
anonymously sees them; a walled story's card says only what the wall shows.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.images.rect import Rect

from masthead.sponsored.models import Sponsor
from tests.builders import canary_for, make_article, make_image

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"


def card(client, url: str) -> dict[str, list[str]]:
    """Every og:/article:/twitter: tag of the page's head, as {property: [content, …]}."""
    response = client.get(url)
    assert response.status_code == 200
    head = BeautifulSoup(response.content, "html.parser").head
    tags: dict[str, list[str]] = {}
    for meta in head.find_all("meta"):
        key = meta.get("property") or meta.get("name") or ""
        if key.startswith(("og:", "article:", "twitter:")):
            tags.setdefault(key, []).append(meta["content"])
    return tags


def one(tags: dict[str, list[str]], key: str) -> str:
    assert len(tags.get(key, [])) == 1, (key, tags.get(key))
    return tags[key][0]


def canonical(client, url: str) -> str:
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    return soup.head.find("link", rel="canonical")["href"]


def fetched_image(client, url: str) -> PILImage.Image:
    assert url.startswith(SITE)
    response = client.get(url[len(SITE) - 1 :])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return PILImage.open(io.BytesIO(data))


def test_article_card_names_the_story_as_every_reader_sees_it(client, pub, free_article):
    tags = card(client, free_article.url)

    assert one(tags, "og:type") == "article"
    assert one(tags, "og:title") == "Ministers meet in Valdora"
    assert one(tags, "og:description") == free_article.standfirst
    assert one(tags, "og:url") == canonical(client, free_article.url) == SITE + free_article.url.lstrip("/")
    assert one(tags, "og:site_name") == "The Meridian Ledger"
    assert one(tags, "og:locale") == "en_US"
    assert tags["og:locale:alternate"] == ["ja_JP"]
    assert one(tags, "article:published_time") == free_article.first_published_at.isoformat()
    assert one(tags, "article:modified_time") == free_article.last_published_at.isoformat()
    assert one(tags, "article:section") == "Politics"
    assert tags["article:author"] == [SITE + pub.author.get_absolute_url().lstrip("/")]
    assert tags["article:tag"] == [pub.topic.name]
    assert one(tags, "twitter:card") == "summary_large_image"
    assert one(tags, "og:image:alt") == "A test caption"


def test_article_card_image_is_a_served_1200x630_crop_around_the_focal_point(client, pub):
    # Red on the left, blue on the right; the focal point sits in the blue part.
    photo = PILImage.new("RGB", (2400, 900), (220, 0, 0))
    photo.paste((0, 0, 220), (1200, 0, 2400, 900))
    buffer = io.BytesIO()
    photo.save(buffer, format="JPEG")
    image = Image.objects.create(title="Two halves", file=ImageFile(buffer, name="halves.jpg"))
    image.set_focal_point(Rect(2280, 430, 2320, 470))
    image.save()
    article = make_article(pub, access="free")
    article.hero_image = image
    article.save_revision().publish()

    tags = card(client, article.url)

    assert (one(tags, "og:image:width"), one(tags, "og:image:height")) == ("1200", "630")
    served = fetched_image(client, one(tags, "og:image")).convert("RGB")
    assert served.size == (1200, 630)
    pixels = [served.getpixel((x, y)) for x in range(0, 1200, 10) for y in range(0, 630, 10)]
    blue = sum(1 for r, _g, b in pixels if b > r)
    assert blue / len(pixels) > 0.6  # centred, it would be half and half


def test_editor_overrides_title_description_and_image(client, pub, free_article):
    picture = make_image("Share picture", size=(1400, 800))
    free_article.share_title = "Why Valdora's ministers met"
    free_article.share_description = "A short line written for shared links."
    free_article.share_image = picture
    free_article.save_revision().publish()

    tags = card(client, free_article.url)

    assert one(tags, "og:title") == "Why Valdora's ministers met"
    assert one(tags, "og:description") == "A short line written for shared links."
    served = fetched_image(client, one(tags, "og:image"))
    assert served.size == (1200, 630)
    assert picture.renditions.filter(filter_spec="fill-1200x630").exists()
    assert not free_article.hero_image.renditions.filter(filter_spec="fill-1200x630").exists()
    # The story itself keeps its headline.
    soup = BeautifulSoup(client.get(free_article.url).content, "html.parser")
    assert soup.find("h1").get_text(strip=True) == "Ministers meet in Valdora"


def test_an_article_without_a_photo_gets_a_summary_card(client, pub):
    article = make_article(pub, access="free")

    tags = card(client, article.url)

    assert "og:image" not in tags
    assert one(tags, "twitter:card") == "summary"


@pytest.mark.parametrize("access", ["metered", "registered", "subscribers"])
def test_walled_article_card_carries_no_gated_text(client, pub, access):
    article = make_article(pub, access=access, with_image=True)
    # Past the meter too: the anonymous reader meets the wall.
    for _ in range(6):
        client.get(make_article(pub, access="metered").url)

    tags = card(client, article.url)

    assert one(tags, "og:description") == article.standfirst
    every_value = " ".join(value for values in tags.values() for value in values)
    assert canary_for(article.slug) not in every_value
    assert "ordinary reporting" not in every_value


def test_sponsored_article_card_and_feed_item_say_sponsored(client, pub):
    sponsor = Sponsor.objects.create(name="Acme Shipping", disclosure="Paid for by Acme Shipping.")
    article = make_article(pub, sponsor=sponsor, title="A voyage in numbers")
    plain = make_article(pub, access="free", title="Plain news")

    assert one(card(client, article.url), "og:title") == "Sponsored: A voyage in numbers"
    assert one(card(client, plain.url), "og:title") == "Plain news"

    items = {
        item.findtext("link"): item
        for item in ET.fromstring(client.get("/feeds/latest/").content).iter("item")
    }
    sponsored_item = items[SITE + article.url.lstrip("/")]
    assert sponsored_item.findtext("title") == "Sponsored: A voyage in numbers"
    assert "Sponsored" in [c.text for c in sponsored_item.findall("category")]
    plain_item = items[SITE + plain.url.lstrip("/")]
    assert plain_item.findtext("title") == "Plain news"
    assert "Sponsored" not in [c.text for c in plain_item.findall("category")]


def test_card_in_japanese_names_the_japanese_locale(client, pub):
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    article = make_article(pub, sponsor=sponsor, title="A voyage")

    tags = card(client, f"/ja{article.url}")  # the Japanese version (core.language_urls)

    assert one(tags, "og:locale") == "ja_JP"
    assert tags["og:locale:alternate"] == ["en_US"]
    assert one(tags, "og:title") == "スポンサー記事：A voyage"


def test_front_page_card(client, pub):
    tags = card(client, "/")

    assert one(tags, "og:type") == "website"
    assert one(tags, "og:title") == "The Meridian Ledger"
    assert one(tags, "og:url") == SITE
    assert one(tags, "og:site_name") == "The Meridian Ledger"
    assert "article:published_time" not in tags


def test_section_page_card(client, pub):
    section = pub.sections[1]
    section.intro = "Companies, trade and the money behind them."
    section.save_revision().publish()

    tags = card(client, section.url)

    assert one(tags, "og:type") == "website"
    assert one(tags, "og:title") == "Business"
    assert one(tags, "og:description") == "Companies, trade and the money behind them."
    assert one(tags, "og:url") == SITE + "business/"


def test_topic_and_author_page_cards(client, pub, free_article):
    pub.topic.description = "Every story on the running row."
    pub.topic.save()
    pub.author.bio = "Ada covers diplomacy from Valdora."
    pub.author.save()

    topic = card(client, pub.topic.get_absolute_url())
    author = card(client, pub.author.get_absolute_url())

    assert (one(topic, "og:type"), one(topic, "og:title")) == ("website", pub.topic.name)
    assert one(topic, "og:description") == "Every story on the running row."
    assert one(topic, "og:url") == SITE + pub.topic.get_absolute_url().lstrip("/")
    assert (one(author, "og:type"), one(author, "og:title")) == ("website", "Ada Reporter")
    assert one(author, "og:description") == "Ada covers diplomacy from Valdora."
    assert one(author, "og:url") == SITE + pub.author.get_absolute_url().lstrip("/")


def test_every_url_in_a_card_is_absolute_at_the_site_url(client, pub, free_article, settings):
    settings.MASTHEAD_SITE_URL = "https://news.example.com"

    for url in [free_article.url, "/", pub.sections[0].url, pub.author.get_absolute_url()]:
        tags = card(client, url)
        for key in ("og:url", "og:image", "article:author"):
            for value in tags.get(key, []):
                assert value.startswith("https://news.example.com/"), (url, key, value)
