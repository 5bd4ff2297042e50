"""A photo inside a story's gated part is never named to a reader without access.

Every page an anonymous reader at the wall can reach is fetched (articles and their print view with
JSON-LD, front, section, topic and author pages, feeds, sitemap, search, the apps API) and searched
for the file names of the gated photos: their original and every rendition made of them, including
the ones an entitled reader's visit makes afterwards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.models import Site

from masthead.access.entitlements import grant_entitlement
from masthead.access.models import MeterSettings
from masthead.api.tokens import issue_device_token
from masthead.news.models import ArticlePage
from tests.builders import Publication, make_article

pytestmark = pytest.mark.django_db


@dataclass
class PhotoStory:
    article: ArticlePage
    photo: Image  # inside the body's last blocks: the gated part unless the story is free
    kind: str


def with_photo_near_the_end(article: ArticlePage, photo: Image) -> ArticlePage:
    blocks = [
        {"type": block.block_type, "value": block.block.get_prep_value(block.value)} for block in article.body
    ]
    figure = {
        "type": "image",
        "value": {"image": photo.pk, "caption": "The disputed border", "credit": "Staff"},
    }
    blocks.insert(len(blocks) - 1, figure)
    article.body = blocks
    article.save_revision().publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def photo_stories(pub: Publication, uploaded_photos: Any) -> list[PhotoStory]:
    """Metered, registered-only, subscriber-only and free stories, each with a hero photo and a map
    in the body named after the story, as a newsroom names its uploads."""
    stories = []
    for i, kind in enumerate(["metered", "registered", "free", "subscribers", "metered"]):
        article = make_article(pub, access=kind, section=pub.sections[i % 2], with_image=True)
        photo = uploaded_photos(f"{article.slug}-map.jpg")
        stories.append(PhotoStory(with_photo_near_the_end(article, photo), photo, kind))
    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.anonymous_limit = 0
    meter.save()
    return stories


def linked_paths(base: str, text: str) -> Iterator[str]:
    for href in re.findall(r'(?:href|src)="([^"#]+)"', text) + re.findall(r"<loc>([^<]+)</loc>", text):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if (
            parts.scheme in ("", "http")
            and parts.netloc in ("", "localhost", "testserver")
            and not parts.path.startswith(
                ("/static/", "/media/", "/admin", "/django-admin", "/accounts/logout", "/i18n/")
            )
        ):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def everything_anonymous_reads(stories: list[PhotoStory], limit: int = 150) -> dict[str, str]:
    """Every reachable page, by URL, as an anonymous reader at the wall receives it."""
    web = Client()
    token = issue_device_token(device_name="Tablet").token
    app = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    texts: dict[str, str] = {}
    for path in ("/api/v1/articles", "/api/v1/sections", "/api/v1/search?q=headline"):
        texts[path] = web.get(path, **app).content.decode()
    for story in stories:
        path = f"/api/v1/articles/{story.article.pk}"
        texts[path] = web.get(path, **app).content.decode()
    queue = ["/", "/feeds/latest/", "/sitemap.xml", "/search/?q=headline"]
    queue += [url for s in stories for url in (s.article.url, s.article.url + "?print=1")]
    while queue and len(texts) < limit:
        path = queue.pop(0)
        if path in texts:
            continue
        response = web.get(path)
        texts[path] = response.content.decode("utf-8", "replace")
        if any(kind in response.get("Content-Type", "") for kind in ("html", "xml")):
            queue.extend(linked_paths(path, texts[path]))
    return texts


def file_stems(photo: Image) -> set[str]:
    names = [photo.file.name, *(rendition.file.name for rendition in photo.renditions.all())]
    return {os.path.splitext(os.path.basename(name))[0] for name in names}


def test_no_page_names_a_gated_photo_for_an_anonymous_reader(photo_stories: list[PhotoStory]) -> None:
    texts = everything_anonymous_reads(photo_stories)
    # An entitled reader's visit makes the renditions the gated parts use; their names count too.
    subscriber = get_user_model().objects.create_user(email="subscriber@example.com", password="x" * 20)
    now = timezone.now()
    grant_entitlement(
        user=subscriber, kind="subscription", starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30), source_ref="media-test",
    )  # fmt: skip
    entitled = Client()
    entitled.force_login(subscriber)
    for story in photo_stories:
        page = entitled.get(story.article.url).content.decode()
        assert any(stem in page for stem in file_stems(story.photo)), "the subscriber sees the map"

    assert len(texts) > 20
    for story in photo_stories:
        stems = file_stems(story.photo)
        assert len(stems) >= 3  # the original and at least two widths
        pages_naming_it = [path for path, text in texts.items() if any(stem in text for stem in stems)]
        if story.kind == "free":
            assert story.article.url in pages_naming_it  # the check sees a photo when it is there
        else:
            assert pages_naming_it == [], f"{story.kind} story's gated map is named on {pages_naming_it}"
    for path, text in texts.items():
        assert "/media/original_images/" not in text, f"{path} links an original image file"
