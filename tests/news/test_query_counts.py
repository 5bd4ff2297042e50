"""Page cost does not grow with the content: a long article or a full section costs the same queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.news.models import ArticleByline, Author
from tests.builders import make_article
from tests.news.conftest import rich_body

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    # The first view creates renditions and fills caches; count a reader's ordinary view.
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_article_page_cost_does_not_grow_with_authors_or_blocks(client, pub):
    related = make_article(pub, access="free")
    small = make_article(pub, access="free", with_image=True)
    # Two blocks: one image and one related-article link, the two kinds that load other rows.
    small.body = [
        block
        for block in rich_body(paragraphs=0, images=1, related=related)
        if block["type"] in ("image", "related_article")
    ]
    small.save_revision().publish()
    assert len(small.body) == 2

    big = make_article(pub, access="free", with_image=True)
    big.body = rich_body(paragraphs=12, images=5, related=related)[:20]
    big.save_revision().publish()
    for i in range(3):
        author = Author.objects.create(name=f"Extra Writer {i}", slug=f"extra-{i}")
        ArticleByline.objects.create(article=big, author=author, sort_order=i + 1)
    assert len(type(big).objects.get(pk=big.pk).authors) == 4
    assert len(list(big.body)) == 20

    small_count = queries_for(client, small.url)
    big_count = queries_for(client, big.url)

    assert big_count == small_count
    assert small_count <= 20


def test_front_page_cost_does_not_grow_with_articles(client, pub):
    for section in pub.sections:
        make_article(pub, section=section, with_image=True)
    few = queries_for(client, "/")

    for i in range(12):
        make_article(pub, section=pub.sections[i % 3], with_image=True)
    many = queries_for(client, "/")

    assert many == few


def test_section_page_cost_does_not_grow_with_articles(client, pub):
    section = pub.sections[1]
    for _ in range(3):
        make_article(pub, section=section, with_image=True)
    few = queries_for(client, section.url)

    for _ in range(9):
        make_article(pub, section=section, with_image=True)
    many = queries_for(client, section.url)

    assert many == few


@pytest.mark.parametrize("kind", ["topic", "author"])
def test_topic_and_author_pages_cost_does_not_grow(client, pub, kind):
    url = f"/topics/{pub.topic.slug}/" if kind == "topic" else f"/authors/{pub.author.slug}/"
    for _ in range(3):
        make_article(pub, with_image=True)
    few = queries_for(client, url)

    for _ in range(9):
        make_article(pub, with_image=True)
    many = queries_for(client, url)

    assert many == few
