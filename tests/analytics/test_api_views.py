"""The apps API counts article views as the web does: the same events, for the reader the token
names (an app's anonymous device, or the account, which is then the same reader on web and app)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.analytics.funnel import funnel
from masthead.analytics.models import Event, Kind
from masthead.analytics.rollup import zone
from masthead.api.tokens import issue_device_token, issue_user_token
from tests.analytics.conftest import BROWSER
from tests.builders import make_article, make_reader

pytestmark = pytest.mark.django_db


def api_read(article: Any, token: str) -> dict[str, Any]:
    response = Client().get(f"/api/v1/articles/{article.pk}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_an_app_readers_views_and_wall_are_recorded_like_the_webs(pub: Any) -> None:
    articles = [make_article(pub) for _ in range(4)]
    token = issue_device_token(device_name="Anonymous tablet").token
    bodies = [api_read(article, token) for article in articles]
    assert [b["granted"] for b in bodies] == [True, True, True, False]  # three free, then the wall
    views = list(Event.objects.filter(kind=Kind.VIEW).order_by("id"))
    assert [v.article_id for v in views] == [a.pk for a in articles]
    assert [v.meter_position for v in views] == [1, 2, 3, 3]
    assert len({v.reader for v in views}) == 1 and views[0].account_id is None
    assert token not in views[0].reader
    walls = Event.objects.filter(kind=Kind.WALL)
    assert [(w.article_id, w.prompt) for w in walls] == [(articles[3].pk, "registration-wall")]
    today = timezone.now().astimezone(zone()).date()
    counted = funnel(today, today)
    assert (counted["views"], counted["wall_impressions"]) == (4, 1)


def test_an_account_is_one_reader_on_the_web_and_in_the_app(pub: Any) -> None:
    article, other = make_article(pub), make_article(pub)
    reader = make_reader("reader@example.com", "a long passphrase 42")
    api_read(article, issue_user_token(user=reader, device_name="Phone").token)
    browser = Client(HTTP_USER_AGENT=BROWSER)
    browser.force_login(reader)
    assert browser.get(other.url).status_code == 200
    app_view, web_view = Event.objects.filter(kind=Kind.VIEW).order_by("id")
    assert (app_view.article_id, web_view.article_id) == (article.pk, other.pk)
    assert app_view.account_id == web_view.account_id == reader.pk
    assert app_view.reader == web_view.reader
