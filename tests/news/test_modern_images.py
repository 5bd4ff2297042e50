"""Photos as WebP where the browser reads it, the JPEG as fallback, made before the first reader."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from wagtail.images.models import Image, Rendition

from masthead.news.renditions import ARTICLE_BODY_SPECS, BODY_WEBP_SPECS, HERO_WEBP_SPECS, LISTING_SPECS
from tests.builders import make_article, make_publication
from tests.news.conftest import rich_body
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
        assert len(webp_urls) == picture.img["srcset"].count(",") + 1 >= 2
        assert all(url.endswith(".webp") for url in webp_urls)
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


def test_body_photos_offer_webp_with_a_jpeg_fallback_made_at_publishing(
    client: Client, pub: Any, django_capture_on_commit_callbacks: Any
) -> None:
    article = make_article(pub, access="free")
    article.body = rich_body(paragraphs=2, images=2)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    photos = list(Image.objects.filter(title__startswith="Body photo").order_by("title"))
    assert len(photos) == 2
    for photo in photos:
        assert set(photo.renditions.values_list("filter_spec", flat=True)) == set(ARTICLE_BODY_SPECS)

    made = Rendition.objects.count()
    soup = soup_of(client.get(article.url))
    assert Rendition.objects.count() == made  # serving the page made none

    figures = soup.select("figure.block-image")
    assert len(figures) == 2
    for figure, photo in zip(figures, photos, strict=True):
        picture = figure.find("picture")
        assert picture is not None
        source, img = picture.find("source"), picture.find("img")
        assert source["type"] == "image/webp" and source["sizes"] == img["sizes"]
        webp = photo.renditions.filter(filter_spec__in=BODY_WEBP_SPECS)
        assert {c.split()[0] for c in source["srcset"].split(",")} == {r.url for r in webp}
        assert len(webp) == 3 and all(r.url.endswith(".webp") for r in webp)
        _served(webp[0].url, "image/webp")
        assert img["src"].endswith(".jpg") and img["srcset"].count(".jpg") == 3
        assert int(img["width"]) > 0 and int(img["height"]) > 0
        assert img["alt"] == figure.figcaption.contents[0].strip()


# ---------------------------------------------------------------------------------------------
# In Chromium: what `sizes` says is the width each picture is drawn at, and the file it picks.

# Viewports either side of every breakpoint masthead.css has for these slots.
WIDTHS = (390, 560, 650, 800, 1000, 1060, 1150, 1250, 1350)

SLOT_WIDTH = """img => {
  // The width `sizes` promises at this viewport: the first entry whose media matches.
  let length = null;
  for (const part of img.sizes.split(",").map(s => s.trim())) {
    if (!part.startsWith("(")) { length = part; break; }
    const end = part.indexOf(")") + 1;
    if (window.matchMedia(part.slice(0, end)).matches) { length = part.slice(end).trim(); break; }
  }
  const probe = document.createElement("div");
  probe.style.cssText = "position:absolute;visibility:hidden;height:1px;width:" + length;
  document.body.append(probe);
  const slot = probe.getBoundingClientRect().width;
  probe.remove();
  return {slot, drawn: img.getBoundingClientRect().width, sizes: img.sizes};
}"""

CHOSEN = """async img => {
  img.scrollIntoView();
  if (!img.complete || !img.currentSrc) {
    await new Promise(done => { img.addEventListener("load", done, {once: true}); setTimeout(done, 10000); });
  }
  return {src: img.currentSrc, drawn: img.getBoundingClientRect().width, dpr: window.devicePixelRatio};
}"""


@pytest.fixture
def laid_out(live_server: Any, wagtail_roots: Any) -> dict[str, str]:
    """A front page with sections of 4, 3, 2 and 1 stories under the lead, and a story with
    photos in its body."""
    pub = make_publication(("Politics", "Business", "Markets", "Science"))
    for section, count in zip(pub.sections, (4, 3, 2, 1), strict=True):
        for _ in range(count):
            make_article(pub, section=section, with_image=True, access="free")
    lead = make_article(pub, section=pub.sections[0], with_image=True, access="free")
    lead.body = rich_body(paragraphs=12, images=2)
    lead.save_revision().publish()
    return {"front": live_server.url + "/", "article": live_server.url + lead.url}


@pytest.mark.django_db(transaction=True)
def test_every_pictures_sizes_is_the_width_it_is_drawn_at(laid_out: dict[str, str], browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    checked: set[str] = set()
    try:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url, selector in (
                (laid_out["front"], "img.card__image"),
                (laid_out["article"], "img.block-image__img"),
            ):
                page.goto(url)
                images = page.query_selector_all(selector)
                assert images, (url, selector)
                for img in images:
                    found = img.evaluate(SLOT_WIDTH)
                    # Never narrower than drawn (a blurry pick); at most a few px wider (rounding).
                    assert found["drawn"] - 1 <= found["slot"] <= found["drawn"] + 4, (width, url, found)
                    checked.add(found["sizes"])
    finally:
        context.close()
    assert len(checked) >= 5  # lead, listing spans of the front page, body


def _candidates(picture: Any) -> dict[str, int]:
    srcset = picture.query_selector("source").get_attribute("srcset")
    return {url.rsplit("/", 1)[-1]: int(w.rstrip("w")) for url, w in (c.split() for c in srcset.split(","))}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("width", "dpr"), [(390, 1.75), (390, 3), (1350, 1)])
def test_chromium_picks_a_webp_file_near_the_drawn_size(
    laid_out: dict[str, str], browser: Any, width: int, dpr: float
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, device_scale_factor=dpr)
    page = context.new_page()
    try:
        slots = (
            (laid_out["front"], ".card--lead picture"),
            (laid_out["front"], ".front-sections .card picture"),  # a section's first (small) card
            (laid_out["front"], ".front-sections .card-grid > .card:nth-child(3) picture"),
            (laid_out["article"], "figure.block-image picture"),
        )
        for url, selector in slots:
            page.goto(url)
            picture = page.query_selector(selector)
            assert picture is not None, selector
            candidates = _candidates(picture)
            chosen = picture.query_selector("img").evaluate(CHOSEN)
            name = chosen["src"].rsplit("/", 1)[-1]
            assert name in candidates, (selector, chosen)  # the WebP source, not the fallback
            needed = chosen["drawn"] * chosen["dpr"]
            picked = candidates[name]
            # Big enough unless nothing is; not over 1.5x unless it is the smallest there is.
            assert picked >= min(needed, max(candidates.values())) - 1, (selector, width, dpr, picked, needed)
            assert picked <= 1.5 * needed or picked == min(candidates.values()), (
                selector,
                width,
                dpr,
                picked,
                needed,
            )
    finally:
        context.close()
