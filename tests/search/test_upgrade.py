"""An existing site stops leaking on upgrade: the index its old release built held every body.

Migration site_search.0001 removes the gated articles' stale entries and its post-migrate step
indexes every article again with public text only. Run for real: migrate back, then forward.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from masthead.news.models import ArticlePage
from tests.search.conftest import Story, make_story

pytestmark = pytest.mark.django_db(transaction=True)


def old_release_body_text(self: ArticlePage) -> str:
    # What the index held before: the whole body of every article (search_fields had "body").
    return " ".join(self.body.stream_block.get_searchable_content(self.body))


def found(query: str) -> list[int]:
    return [item["id"] for item in Client().get("/api/v1/search", {"q": query}).json()["items"]]


def test_migrating_rebuilds_an_index_that_held_gated_bodies(
    wagtail_roots: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.builders import make_publication

    pub = make_publication()
    with monkeypatch.context() as old_release:
        old_release.setattr(ArticlePage, "readable_body_text", old_release_body_text)
        stories: list[Story] = [make_story(pub, kind=kind) for kind in ("metered", "subscribers", "free")]
    metered, subscribers, free = stories
    # The stale index answers "does it mention X?" for the gated stories.
    assert found(subscribers.gated) == [subscribers.article.pk]

    call_command("migrate", "site_search", "zero", verbosity=0)
    call_command("migrate", "site_search", verbosity=0)

    for story in (metered, subscribers):
        assert found(story.gated) == []
        assert found(story.teaser) == []
        assert found(story.headline) == [story.article.pk]
    assert found(free.gated) == [free.article.pk]
