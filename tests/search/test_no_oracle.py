"""Search is no oracle on gated text: it matches only what the searching reader could read.

Every story in the newsroom carries made-up words that appear in exactly one of its parts: the
headline, the standfirst, the teaser (first paragraph) and the gated part (last paragraph, with
the story's canary sentence). Search indexes headline, standfirst and kicker for every article and
the body only of articles free to all (free or sponsored), so for any reader a gated word finds
nothing, on the web and in the apps API.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from masthead.news.models import ArticlePage
from tests.builders import canary_for
from tests.search.conftest import Searcher, Story, anonymous_reader, subscriber

pytestmark = pytest.mark.django_db


def web_search(searcher: Searcher, query: str, stories: list[Story]) -> list[str]:
    response = searcher.web.get("/search/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_body_text(html, stories, query)
    soup = BeautifulSoup(html, "html.parser")
    return [h.get_text(strip=True) for h in soup.select(".search-results .card__headline")]


def api_search(searcher: Searcher, query: str, stories: list[Story]) -> list[str]:
    response = searcher.web.get("/api/v1/search", {"q": query}, HTTP_AUTHORIZATION=f"Bearer {searcher.token}")
    assert response.status_code == 200
    assert_no_body_text(response.content.decode(), stories, query)
    return [item["headline"] for item in response.json()["items"]]


def assert_no_body_text(text: str, stories: list[Story], query: str) -> None:
    # Results show headline, kicker, standfirst and date only, even when a body word matched
    # (the page repeats the query itself).
    for story in stories:
        assert canary_for(story.article.slug) not in text
        for word in (story.gated, story.teaser):
            assert word == query or word not in text


def headline(story: Story) -> str:
    return ArticlePage.objects.get(pk=story.article.pk).title


def test_a_word_from_a_gated_part_finds_nothing_for_a_reader_without_access(
    newsroom: list[Story], reader_without_access: Searcher
) -> None:
    for story in newsroom:
        expected = [headline(story)] if story.free_to_all else []
        for search in (web_search, api_search):
            assert search(reader_without_access, story.gated, newsroom) == expected, (
                f"{search.__name__} for {reader_without_access.name}: gated word of a {story.kind} story"
            )


def test_headline_and_standfirst_words_still_find_every_story(
    newsroom: list[Story], reader_without_access: Searcher
) -> None:
    for story in newsroom:
        for word in (story.headline, story.standfirst):
            for search in (web_search, api_search):
                assert search(reader_without_access, word, newsroom) == [headline(story)], (
                    f"{search.__name__}: {word} of a {story.kind} story"
                )


def test_the_kicker_finds_gated_stories(newsroom: list[Story], pub: Any) -> None:
    reader = anonymous_reader()
    everyone = sorted(headline(story) for story in newsroom)

    assert sorted(web_search(reader, pub.topic.name, newsroom)) == everyone
    assert sorted(api_search(reader, pub.topic.name, newsroom)) == everyone


def test_the_teaser_of_a_gated_story_is_not_searched_but_a_free_story_is_searched_whole(
    newsroom: list[Story],
) -> None:
    # The teaser's length is a paywall setting: an index that held today's teaser would
    # over-share tomorrow, after an editor shortened it. So a gated story's body is not indexed.
    reader = anonymous_reader()
    for story in newsroom:
        expected = [headline(story)] if story.free_to_all else []
        assert web_search(reader, story.teaser, newsroom) == expected
        assert api_search(reader, story.teaser, newsroom) == expected


def test_a_subscriber_searches_the_same_public_index(newsroom: list[Story]) -> None:
    # One index for every reader (the design chosen): results can be shared and cached, and a
    # subscriber finds gated stories by headline, standfirst and kicker like everyone else.
    reader = subscriber()
    for story in newsroom:
        expected = [headline(story)] if story.free_to_all else []
        assert web_search(reader, story.gated, newsroom) == expected
        assert web_search(reader, story.headline, newsroom) == [headline(story)]


def test_changing_the_access_level_re_indexes_the_story(newsroom: list[Story]) -> None:
    reader = anonymous_reader()
    story = next(s for s in newsroom if s.kind == "free")
    assert web_search(reader, story.gated, newsroom) == [headline(story)]

    article = ArticlePage.objects.get(pk=story.article.pk)
    article.access = "subscribers"
    article.save_revision().publish()

    assert web_search(reader, story.gated, newsroom) == []
    assert api_search(reader, story.gated, newsroom) == []
    assert web_search(reader, story.headline, newsroom) == [headline(story)]

    article = ArticlePage.objects.get(pk=story.article.pk)
    article.access = "free"
    article.save_revision().publish()

    assert web_search(reader, story.gated, newsroom) == [headline(story)]
    assert api_search(reader, story.gated, newsroom) == [headline(story)]


def test_a_draft_that_would_free_a_story_leaves_the_index_as_published(newsroom: list[Story]) -> None:
    # The index follows the live page, not an editor's unpublished draft.
    reader = anonymous_reader()
    story = next(s for s in newsroom if s.kind == "subscribers")
    article = ArticlePage.objects.get(pk=story.article.pk)
    article.access = "free"
    article.save_revision()

    assert web_search(reader, story.gated, newsroom) == []
    assert api_search(reader, story.gated, newsroom) == []
