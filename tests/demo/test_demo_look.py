"""The demo reads like a real publication: its own picture for every story, typeset text, whole logos."""

from __future__ import annotations

import hashlib
import html
import io
import re
from pathlib import Path

import pytest
from django.utils.html import strip_tags
from PIL import Image as PillowImage
from wagtail.images.models import Image

from masthead.core.models import PublicationSettings
from masthead.news.demo import images, newsroom
from masthead.news.demo.articles import ARTICLES
from masthead.news.demo.drawing import SCENES
from masthead.news.demo.story import InlineImage, parse_body
from masthead.news.models import ArticlePage, Author, SectionPage, Topic
from masthead.sponsored.models import Sponsor
from tests.demo.built import demo_fixture

STATIC_LOGO = Path(__file__).resolve().parents[2] / "masthead/static/masthead/img/publisher-logo.png"


def scenes_in_use() -> list[tuple[str, str]]:
    """(scene, where) for every hero and inline picture of every demo article."""
    used = []
    for article in ARTICLES:
        used.append((article.scene, article.slug))
        used.extend(
            (value.scene, f"{article.slug} (inline)")
            for _, value in parse_body(article.body)
            if isinstance(value, InlineImage)
        )
    return used


def test_every_picture_is_its_own_scene_and_every_scene_is_drawn():
    used = scenes_in_use()
    scenes = [scene for scene, _ in used]

    assert len(scenes) == len(set(scenes)), sorted(s for s in scenes if scenes.count(s) > 1)
    assert set(scenes) == set(SCENES)


def test_a_scene_is_the_same_picture_every_time_and_differs_between_stories():
    first = images.draw_illustration(title="A headline", scene="bureau-de-change")
    again = images.draw_illustration(title="A headline", scene="bureau-de-change")
    other = images.draw_illustration(title="A headline", scene="trading-floor")

    assert first == again
    assert first != other
    picture = PillowImage.open(io.BytesIO(first))
    assert picture.size == (1600, 900)  # 16:9, as the cards and the hero crop it


def test_the_sponsor_logo_shows_the_whole_name_and_fits_a_phone():
    drawn = images.draw_sponsor_logo(name="Corvane Energy Storage", color=(20, 110, 90))
    logo = PillowImage.open(io.BytesIO(drawn))

    _, _, right, bottom = logo.getchannel("A").getbbox()
    # Nothing drawn touches the right or bottom edge: the last letter is not cut off.
    assert right < logo.width - 4 and bottom < logo.height
    # Shown 40 px high (height-40), it fits the sponsor box at 375 px (about 310 px inside).
    assert logo.width * 40 / logo.height <= 300


def test_the_publisher_logo_fits_search_engines_600_by_60_box():
    logo = PillowImage.open(STATIC_LOGO)

    assert logo.width <= 600 and logo.height <= 60
    assert logo.width == 600 or logo.height == 60
    assert logo.convert("L").getextrema()[0] < 64  # the name is printed, not a blank plate


STRAIGHT = re.compile(r"[\"']")


def reader_text(value: str) -> str:
    """What a reader sees of a field: tags and their attributes removed, entities decoded."""
    return html.unescape(strip_tags(value))


# The demo built once for this module's two tests that read it (tests/demo/built.py).
demo = demo_fixture()


@pytest.mark.django_db
def test_every_demo_text_uses_typographic_quotes_and_apostrophes(demo):

    texts: list[tuple[str, str]] = []
    for article in ArticlePage.objects.all():
        for field in ("title", "standfirst", "hero_caption", "hero_credit", "dateline"):
            texts.append((f"{article.slug}.{field}", getattr(article, field)))
        for i, block in enumerate(article.body):
            texts.append((f"{article.slug}.body[{i}]", str(block.render())))
    for section in SectionPage.objects.all():
        texts.append((f"{section.slug}.intro", section.intro))
    texts += [(f"author {a.slug}", f"{a.name} {a.role} {a.bio}") for a in Author.objects.all()]
    texts += [(f"topic {t.slug}", f"{t.name} {t.description}") for t in Topic.objects.all()]
    texts += [(f"sponsor {s.name}", f"{s.name} {s.disclosure}") for s in Sponsor.objects.all()]
    texts += [("publication", f"{p.name} {p.tagline}") for p in PublicationSettings.objects.all()]

    straight = [(where, STRAIGHT.findall(reader_text(text))) for where, text in texts]
    assert len(texts) > 200
    assert [(where, found) for where, found in straight if found] == []
    # And the typographic ones are really there (the check is not vacuous).
    assert sum(reader_text(text).count("’") for _, text in texts) > 50
    assert sum(reader_text(text).count("“") for _, text in texts) > 20


def test_the_typography_check_catches_straight_quotes():
    assert STRAIGHT.findall(reader_text('<p>He said "no" and <a href="/x">it\'s</a> done.</p>')) == [
        '"',
        '"',
        "'",
    ]
    assert STRAIGHT.findall(reader_text('<p>He said “no” and <a href="/x">it’s</a> done.</p>')) == []


@pytest.mark.django_db
def test_no_two_stories_get_the_same_picture(demo):

    heroes = {
        article.slug: hashlib.sha256(article.hero_image.file.read()).hexdigest()
        for article in ArticlePage.objects.select_related("hero_image")
    }
    assert len(set(heroes.values())) == len(heroes) == len(ARTICLES)
    assert not PublicationSettings.objects.exclude(logo=None).exists()  # the header is the nameplate
    sponsor_logo = Image.objects.get(title=newsroom.SPONSOR.logo_title)
    assert sponsor_logo.get_rendition("height-40").width <= 300
