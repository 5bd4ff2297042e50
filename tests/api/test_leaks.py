"""The canary of a gated article never reaches a reader who is not entitled to it, through any
endpoint: lists, search, the article itself, the reader's own data, the schema."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from masthead.api.tokens import issue_user_token
from tests.api.conftest import bearer
from tests.builders import canary_for, make_article

pytestmark = pytest.mark.django_db


def every_response(api: Client, token: str, gated: list[Any]) -> Iterator[Any]:
    auth = bearer(token)
    for path in (
        "/api/v1/sections",
        "/api/v1/topics",
        "/api/v1/offers",
        "/api/v1/me",
        "/api/v1/openapi.json",
    ):
        yield api.get(path, **auth)
    cursor: str | None = ""
    while cursor is not None:
        page = api.get("/api/v1/articles", {"limit": 2, **({"cursor": cursor} if cursor else {})}, **auth)
        yield page
        cursor = page.json()["next_cursor"]
    for filters in ({"section": "politics"}, {"section": "business"}, {"topic": gated[0].kicker.slug}):
        yield api.get("/api/v1/articles", filters, **auth)
    for article in gated:
        canary = canary_for(article.slug)
        for q in (canary, "CANARY", "gated sentence", "never leak", article.slug, article.title):
            yield api.get("/api/v1/search", {"q": q[:100]}, **auth)
        for lang in ("en", "ja"):
            yield api.get(f"/api/v1/articles/{article.pk}", {"lang": lang}, **auth)
        yield api.get(f"/api/v1/articles/{article.pk}", HTTP_ACCEPT="text/html", **auth)


def assert_never_leaks(api: Client, token: str, gated: list[Any]) -> None:
    count = 0
    for response in every_response(api, token, gated):
        count += 1
        text = response.content.decode()
        for article in gated:
            assert canary_for(article.slug) not in text, response.request["PATH_INFO"]
    assert count > 20


def test_an_anonymous_device_past_its_allowance_never_sees_a_gated_body(
    api: Client, pub: Any, device_token: str
) -> None:
    spent = [make_article(pub) for _ in range(3)]
    for article in spent:
        assert api.get(f"/api/v1/articles/{article.pk}", **bearer(device_token)).json()["granted"]
    gated = [
        make_article(pub),
        make_article(pub, section=pub.sections[1], with_image=True),
        make_article(pub, access="registered"),
        make_article(pub, access="subscribers"),
    ]

    assert_never_leaks(api, device_token, gated)


def test_a_registered_reader_never_sees_a_subscriber_only_body(api: Client, pub: Any, reader: Any) -> None:
    token = issue_user_token(user=reader, device_name="Phone").token
    gated = [make_article(pub, access="subscribers", paragraphs=n) for n in (2, 4, 12)]

    assert_never_leaks(api, token, gated)


def test_a_revoked_token_reads_nothing(api: Client, pub: Any, reader: Any) -> None:
    token = issue_user_token(user=reader, device_name="Phone").token
    api.delete("/api/v1/auth/token", **bearer(token))
    article = make_article(pub, access="free")

    response = api.get(f"/api/v1/articles/{article.pk}", **bearer(token))

    assert response.status_code == 401 and canary_for(article.slug) not in response.content.decode()
