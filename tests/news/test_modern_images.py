"""Photos as WebP where the browser reads it, the JPEG as fallback, made before the first reader."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.news.renditions import HERO_WEBP_SPECS, LISTING_SPECS
from tests.builders import make_article
from tests.news.pages import soup_of

pytestmark = pytest.mark.django_db


def _pictures(soup: Any, img_class: str) -> list[Any]:
    return [img.parent for img in soup.find_all("img", class_=img_class)]


def _served(url: str, content_type: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == content_type, url
    assert "immutable" in response["Cache-Control"]
    # Read through the test client's own wrapper, which closes the file without the end-of-request
    # signal: calling response.close() here would close the test's database connection on PostgreSQL.
    assert b"".join(response.streaming_content)


def test_front_page_cards_offer_webp_with_a_jpeg_fallback_and_the_lead_comes_first(pub: Any) -> None:
    for _ in range(3):
        make_article(pub, with_image=True)
    soup = soup_of(Client().get("/"))
    pictures = _pictures(soup, "card__image")
    assert len(pictures) >= 3
    for picture in pictures:
        assert picture.name == "picture"
        source = picture.find("source")
        assert source["type"] == "image/webp"
        assert source["sizes"] == picture.img["sizes"]
        webp_urls = [part.split()[0] for part in source["srcset"].split(",")]
        assert len(webp_urls) == 2 and all(url.endswith(".webp") for url in webp_urls)
        _served(webp_urls[0], "image/webp")
        assert picture.img["src"].endswith(".jpg")
        _served(picture.img["src"], "image/jpeg")
    lead = soup.select_one(".card--lead img.card__image")
    assert lead["fetchpriority"] == "high" and lead["loading"] == "eager"
    assert soup.select_one(".card:not(.card--lead) img.card__image")["loading"] == "lazy"


def test_article_hero_offers_webp_and_its_renditions_were_made_at_publishing(
    pub: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(pub, with_image=True, access="metered")
    made = set(article.hero_image.renditions.values_list("filter_spec", flat=True))
    assert set(HERO_WEBP_SPECS) <= made
    assert {spec for spec in LISTING_SPECS if "webp" in spec} <= made
    soup = soup_of(Client().get(article.url))
    picture = soup.find("img", class_="hero__image").parent
    assert picture.name == "picture"
    source = picture.find("source", type="image/webp")
    assert source is not None and source["srcset"].count(".webp") == 3
    assert picture.img["fetchpriority"] == "high"
