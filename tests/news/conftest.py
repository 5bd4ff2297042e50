"""Fixtures for reader-page tests: a small publication with rich article bodies."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.builders import make_article, make_image, make_publication


@pytest.fixture(autouse=True)
def _clear_cache():
    # Navigation and renditions are cached; every test starts from a cold cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db):
    return make_publication(("Politics", "Business", "Markets"))


@pytest.fixture
def free_article(pub):
    return make_article(pub, access="free", with_image=True, title="Ministers meet in Valdora")


def rich_body(*, paragraphs: int, images: int, related=None) -> list[dict]:
    """A body with every block type: what an editor builds for a long read."""
    body: list[dict] = [{"type": "heading", "value": "What happened"}]
    for i in range(images):
        body.append(
            {
                "type": "image",
                "value": {
                    "image": make_image(f"Body photo {i}").pk,
                    "caption": f"Scene {i}",
                    "credit": f"Photographer {i}",
                },
            }
        )
    body.append(
        {"type": "pull_quote", "value": {"quote": "We will not be moved.", "attribution": "A minister"}}
    )
    body.append(
        {"type": "fact_box", "value": {"title": "Key facts", "body": "<ul><li>One</li><li>Two</li></ul>"}}
    )
    if related is not None:
        body.append({"type": "related_article", "value": {"article": related.pk, "label": "Read more"}})
    body += [{"type": "paragraph", "value": f"<p>Paragraph {i}.</p>"} for i in range(paragraphs)]
    return body
