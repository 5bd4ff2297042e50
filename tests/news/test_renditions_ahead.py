"""Publishing makes a story's photo sizes once the edit is committed, before its first reader.

The first readers of breaking news then find every size made, so no worker has to make one
while serving them (`masthead.news.rendition_safety` guards the ones still made on demand).
"""

from __future__ import annotations

import logging

import pytest
from wagtail.images.models import Image, Rendition

from masthead.news.renditions import ARTICLE_BODY_SPECS, ARTICLE_HERO_SPECS, CARD_SPECS, THUMB_SPECS
from tests.builders import make_article, make_image
from tests.news.conftest import rich_body
from tests.news.pages import soup_of

pytestmark = pytest.mark.django_db


def specs_made(image: Image) -> set[str]:
    return set(image.renditions.values_list("filter_spec", flat=True))


def publish_with_photos(pub, *, commit) -> tuple:
    article = make_article(pub, access="free")
    article.hero_image = make_image("Breaking")
    article.body = rich_body(paragraphs=2, images=1)
    with commit(execute=True):
        article.save_revision().publish()
    return article, article.hero_image, Image.objects.get(title="Body photo 0")


def test_a_published_story_has_its_photo_sizes_before_anyone_reads_it(
    client, pub, django_capture_on_commit_callbacks
):
    article, hero, body_photo = publish_with_photos(pub, commit=django_capture_on_commit_callbacks)

    assert specs_made(hero) == set(ARTICLE_HERO_SPECS)
    assert specs_made(body_photo) == set(ARTICLE_BODY_SPECS)

    made = Rendition.objects.count()
    soup = soup_of(client.get(article.url))
    assert Rendition.objects.count() == made  # the first reader made none
    widths = hero.renditions.filter(filter_spec__startswith="width-")
    urls = {r.url for r in widths.exclude(filter_spec__endswith="|format-webp")}
    shown = {c.split()[0] for c in soup.select_one("figure.hero img")["srcset"].split(",")}
    assert shown == urls
    webp_urls = {r.url for r in widths.filter(filter_spec__endswith="|format-webp")}
    webp_shown = soup.select_one("figure.hero source[type='image/webp']")["srcset"].split(",")
    assert {c.split()[0] for c in webp_shown} == webp_urls and len(webp_urls) == 3


def test_the_sizes_are_made_once_the_publish_commits(pub, django_capture_on_commit_callbacks):
    article = make_article(pub, access="free")
    article.hero_image = make_image("Not yet")
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        article.save_revision().publish()
    assert specs_made(article.hero_image) == set()  # not inside the publish's transaction

    for callback in after_commit:
        callback()

    assert specs_made(article.hero_image) == set(ARTICLE_HERO_SPECS)


def test_a_photo_that_cannot_be_read_is_logged_and_the_story_still_publishes(
    client, pub, django_capture_on_commit_callbacks, caplog
):
    article = make_article(pub, access="free")
    photo = make_image("Lost")
    photo.file.storage.delete(photo.file.name)
    article.hero_image = photo
    with (
        caplog.at_level(logging.ERROR, logger="masthead.news.renditions"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article.save_revision().publish()

    assert article.live
    assert any(f"image {photo.pk}" in r.getMessage() for r in caplog.records)
    assert specs_made(photo) == set()


def test_a_new_focal_point_gets_new_crops(pub, django_capture_on_commit_callbacks):
    _, hero, _ = publish_with_photos(pub, commit=django_capture_on_commit_callbacks)
    before = set(hero.renditions.filter(filter_spec__in=CARD_SPECS).values_list("focal_point_key", flat=True))

    hero.focal_point_x, hero.focal_point_y, hero.focal_point_width, hero.focal_point_height = 200, 150, 80, 80
    with django_capture_on_commit_callbacks(execute=True):
        hero.save()

    after = hero.renditions.filter(filter_spec__in=CARD_SPECS).exclude(focal_point_key__in=before)
    assert set(after.values_list("filter_spec", flat=True)) == set(CARD_SPECS)


def test_an_author_photo_has_its_sizes(pub, django_capture_on_commit_callbacks):
    pub.author.photo = make_image("Ada")
    with django_capture_on_commit_callbacks(execute=True):
        pub.author.save()

    assert specs_made(pub.author.photo) == set(THUMB_SPECS)
