"""Sections, topics, lists, search and the structured article body."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.news.models import Topic
from tests.api.conftest import bearer
from tests.api.helpers import assert_error
from tests.builders import canary_for, make_article, make_image

pytestmark = pytest.mark.django_db


def test_sections_in_menu_order(api: Client, pub: Any) -> None:
    response = api.get("/api/v1/sections")

    assert response.status_code == 200
    assert [(s["title"], s["slug"]) for s in response.json()] == [
        ("Politics", "politics"),
        ("Business", "business"),
    ]
    assert response.json()[0]["url"].endswith("/politics/")


def test_topics(api: Client, pub: Any) -> None:
    body = api.get("/api/v1/topics").json()

    assert [t["name"] for t in body] == [pub.topic.name]


def test_articles_newest_first_with_a_cursor_that_walks_every_article_once(
    api: Client, articles: list[Any]
) -> None:
    seen: list[int] = []
    cursor = None
    for _ in range(4):
        params = {"limit": 4, **({"cursor": cursor} if cursor else {})}
        body = api.get("/api/v1/articles", params).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert seen == [a.pk for a in reversed(articles)]


def test_a_story_published_while_paging_does_not_shift_the_next_page(
    api: Client, pub: Any, articles: list[Any]
) -> None:
    first = api.get("/api/v1/articles", {"limit": 3}).json()
    make_article(pub)

    second = api.get("/api/v1/articles", {"limit": 3, "cursor": first["next_cursor"]}).json()

    assert [i["id"] for i in second["items"]] == [a.pk for a in reversed(articles[:3])]


def test_a_summary_carries_what_a_card_shows_and_no_body(api: Client, pub: Any) -> None:
    article = make_article(pub, with_image=True)

    item = api.get("/api/v1/articles").json()["items"][0]

    assert item["headline"] == article.title and item["standfirst"] == article.standfirst
    assert item["kicker"] == {"name": pub.topic.name, "slug": pub.topic.slug}
    assert item["section"]["slug"] == "politics"
    assert item["authors"] == [{"name": "Ada Reporter", "slug": pub.author.slug, "role": "Correspondent"}]
    assert item["access"] == "metered" and item["sponsor"] is None
    assert item["url"].startswith("http") and item["url"].endswith(f"/{article.slug}/")
    widths = [r["width"] for r in item["hero_image"]["renditions"]]
    assert widths == sorted(widths) and widths[0] == 480
    assert "body" not in item


def test_filter_by_section_and_topic(api: Client, pub: Any) -> None:
    politics = make_article(pub)
    business = make_article(pub, section=pub.sections[1])
    other_topic = Topic.objects.create(name="Elections")
    business.kicker = other_topic
    business.save_revision().publish()

    assert [i["id"] for i in api.get("/api/v1/articles", {"section": "business"}).json()["items"]] == [
        business.pk
    ]
    assert [i["id"] for i in api.get("/api/v1/articles", {"topic": pub.topic.slug}).json()["items"]] == [
        politics.pk
    ]
    assert_error(api.get("/api/v1/articles", {"section": "sport"}), 404, "not_found")
    assert_error(api.get("/api/v1/articles", {"topic": "nope"}), 404, "not_found")


def test_unpublished_articles_are_never_listed_or_served(api: Client, pub: Any, device_token: str) -> None:
    article = make_article(pub)
    article.unpublish()

    assert api.get("/api/v1/articles").json()["items"] == []
    assert_error(api.get(f"/api/v1/articles/{article.pk}", **bearer(device_token)), 404, "not_found")


@pytest.mark.parametrize("limit", ["0", "51", "many"])
def test_page_size_is_bounded(api: Client, pub: Any, limit: str) -> None:
    assert_error(api.get("/api/v1/articles", {"limit": limit}), 422, "invalid_request")


@pytest.mark.parametrize("cursor", ["garbage", "WyIyMDI0LTAxLTAxIiwgMV0:1abc:forged"])
def test_a_forged_cursor_is_refused(api: Client, pub: Any, cursor: str) -> None:
    assert_error(api.get("/api/v1/articles", {"cursor": cursor}), 422, "invalid_cursor")


def test_lists_are_public_and_answer_304_to_a_matching_etag(
    api: Client, pub: Any, articles: list[Any]
) -> None:
    first = api.get("/api/v1/articles")
    assert first["Cache-Control"] == "public, max-age=60"
    assert not first.cookies

    again = api.get("/api/v1/articles", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]

    make_article(pub)
    changed = api.get("/api/v1/articles", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


@pytest.mark.parametrize(
    "path", ["/api/v1/sections", "/api/v1/topics", "/api/v1/offers", "/api/v1/search?q=story"]
)
def test_every_list_has_an_etag(api: Client, articles: list[Any], path: str) -> None:
    response = api.get(path)

    assert response.status_code == 200
    assert api.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_search_finds_headlines_and_standfirsts(api: Client, pub: Any) -> None:
    wanted = make_article(pub, title="Harbour strike enters its third week")
    make_article(pub)

    by_headline = api.get("/api/v1/search", {"q": "harbour strike"}).json()["items"]
    assert [i["id"] for i in by_headline] == [wanted.pk]
    by_standfirst = api.get("/api/v1/search", {"q": "sums it up"}).json()["items"]
    assert len(by_standfirst) == 2


def test_search_never_looks_into_the_body(api: Client, pub: Any) -> None:
    article = make_article(pub)

    for words in (canary_for(article.slug), "gated sentence", "ordinary reporting"):
        response = api.get("/api/v1/search", {"q": words})
        assert response.json()["items"] == []


@pytest.mark.parametrize("q", ["", "   ", "x" * 101])
def test_search_needs_a_sensible_query(api: Client, pub: Any, q: str) -> None:
    assert_error(api.get("/api/v1/search", {"q": q}), 422, "invalid_request")


def test_the_body_is_typed_blocks_with_image_renditions(api: Client, pub: Any, device_token: str) -> None:
    related = make_article(pub)
    image = make_image(size=(1200, 800))
    article = make_article(pub, access="free", with_image=True)
    article.body = [
        {"type": "heading", "value": "What happened"},
        {"type": "paragraph", "value": '<p>Text with <a href="https://example.org/">a link</a>.</p>'},
        {
            "type": "image",
            "value": {"image": image.pk, "caption": "The harbour", "credit": "A. Photographer"},
        },
        {"type": "pull_quote", "value": {"quote": "We will not move.", "attribution": "A docker"}},
        {"type": "fact_box", "value": {"title": "Key facts", "body": "<ul><li>Day 15</li></ul>"}},
        {"type": "related_article", "value": {"article": related.pk, "label": "Read more"}},
    ]
    article.save_revision().publish()

    body = api.get(f"/api/v1/articles/{article.pk}", **bearer(device_token)).json()

    assert body["granted"] is True and body["paywall"] is None
    blocks = body["body"]
    assert [b["type"] for b in blocks] == [
        "heading",
        "paragraph",
        "image",
        "pull_quote",
        "fact_box",
        "related_article",
    ]
    assert blocks[0]["text"] == "What happened"
    assert 'href="https://example.org/"' in blocks[1]["html"]
    renditions = blocks[2]["image"]["renditions"]
    assert [(r["width"], r["height"]) for r in renditions] == [(640, 426), (1024, 682)]
    assert all(r["url"].startswith("http://testserver/media/") for r in renditions)
    assert blocks[2]["caption"] == "The harbour" and blocks[2]["credit"] == "A. Photographer"
    assert blocks[3] == {"type": "pull_quote", "quote": "We will not move.", "attribution": "A docker"}
    assert blocks[4]["title"] == "Key facts" and "<li>Day 15</li>" in blocks[4]["html"]
    assert blocks[5]["article"]["id"] == related.pk and blocks[5]["label"] == "Read more"
    assert body["hero_image"]["renditions"][0]["width"] == 640


def test_one_article_needs_a_token(api: Client, pub: Any) -> None:
    article = make_article(pub, access="free")

    assert_error(api.get(f"/api/v1/articles/{article.pk}"), 401, "unauthorized")


@pytest.mark.parametrize("article_id", ["999999", "0", "99999999999999999999", "abc"])
def test_unknown_articles(api: Client, pub: Any, device_token: str, article_id: str) -> None:
    response = api.get(f"/api/v1/articles/{article_id}", **bearer(device_token))

    assert response.status_code in (404, 422)
    assert_error(
        response, response.status_code, "not_found" if response.status_code == 404 else "invalid_request"
    )
