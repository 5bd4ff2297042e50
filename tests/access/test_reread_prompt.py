"""A re-read spends no free article, so it never claims to be the last one: web and API alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.api.tokens import issue_device_token
from tests.access.conftest import data_remaining, has_canary, paywall_state, set_meter

pytestmark = pytest.mark.django_db

LAST = "This is your last free article this month."


def test_a_reread_after_the_last_free_article_does_not_say_it_is_the_last(
    pub: Any, metered: list[Any]
) -> None:
    set_meter(pub, anonymous_limit=3)
    reader = Client()
    first, second, third, fourth = metered[:4]

    reads = [reader.get(article.url) for article in (first, second, third)]
    assert [data_remaining(r) for r in reads] == ["2", "1", "0"]
    assert LAST in reads[2].content.decode()

    again = reader.get(second.url)
    html = again.content.decode()
    assert has_canary(again, second)  # already counted: the whole article
    assert "last free article" not in html
    assert paywall_state(again) == "metered-remaining"
    assert data_remaining(again) == "0"  # the truth: none left for a new article
    assert "You have 0 free articles left this month." in html

    walled = reader.get(fourth.url)
    assert not has_canary(walled, fourth)
    assert paywall_state(walled) == "registration-wall"


def test_a_reread_with_articles_left_shows_the_true_count(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, anonymous_limit=3)
    reader = Client()
    reader.get(metered[0].url)
    reader.get(metered[1].url)  # one left

    again = reader.get(metered[0].url)
    assert has_canary(again, metered[0])
    assert data_remaining(again) == "1"
    assert "You have 1 free article left this month." in again.content.decode()


def test_the_api_says_the_same_on_a_reread(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, anonymous_limit=3)
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {issue_device_token(device_name='Anonymous tablet').token}"}

    def read(article: Any) -> dict[str, Any]:
        return api.get(f"/api/v1/articles/{article.pk}", **auth).json()  # type: ignore[no-any-return]

    reads = [read(article) for article in metered[:3]]
    assert reads[2]["meter"]["prompt"] == LAST

    again = read(metered[1])
    assert again["granted"] is True and again["paywall"] is None
    assert again["meter"] == {
        "state": "metered-remaining",
        "remaining": 0,
        "prompt": "You have 0 free articles left this month.",
    }
    assert read(metered[3])["granted"] is False
