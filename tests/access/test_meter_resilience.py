"""When the meter store is down, gated bodies stay closed and nothing is lost or doubled;
a logged-in reader keeps the reads they made before logging in; the paywall is cheap."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.access.models import MeterRead
from tests.access.conftest import data_remaining, has_canary, make_article, paywall_state, signed_in
from tests.access.stores import REDIS_TEST_URL, needs_redis

pytestmark = pytest.mark.django_db


def test_unreachable_store_fails_closed_with_a_clear_message(
    pub: Any, metered: list[Any], settings: Any
) -> None:
    settings.MASTHEAD_METER_STORE = "redis"
    settings.MASTHEAD_METER_REDIS_URL = "redis://127.0.0.1:1/0"
    free = make_article(pub, access="free")
    client = Client()
    response = client.get(metered[0].url)
    assert response.status_code == 200
    assert not has_canary(response, metered[0])
    assert paywall_state(response) == "meter-unavailable"
    assert "We cannot check your free articles right now" in response.content.decode()
    # Articles that need no meter are unaffected.
    assert has_canary(client.get(free.url), free)


@needs_redis
def test_nothing_recorded_while_down_is_lost_or_doubled(metered: list[Any], settings: Any) -> None:
    settings.MASTHEAD_METER_STORE = "redis"
    settings.MASTHEAD_METER_REDIS_URL = REDIS_TEST_URL
    client = Client()
    assert data_remaining(client.get(metered[0].url)) == "2"
    settings.MASTHEAD_METER_REDIS_URL = "redis://127.0.0.1:1/0"
    assert paywall_state(client.get(metered[1].url)) == "meter-unavailable"
    settings.MASTHEAD_METER_REDIS_URL = REDIS_TEST_URL
    # The failed view cost nothing; the earlier read is still there.
    assert data_remaining(client.get(metered[1].url)) == "1"
    assert data_remaining(client.get(metered[0].url)) == "1"


def test_anonymous_reads_merge_into_the_account_on_login(metered: list[Any], reader: Any) -> None:
    client = Client()
    for article in metered[:2]:
        client.get(article.url)
    # The account already read one of the same articles on another device.
    other_device = signed_in(reader)
    other_device.get(metered[1].url)
    other_device.get(metered[2].url)
    response = client.post(
        "/accounts/login/", {"login": "reader@example.com", "password": "a long passphrase 42"}
    )
    assert response.status_code == 302
    # Union of {0, 1} and {1, 2}: three of five used, so this read leaves one.
    assert data_remaining(client.get(metered[3].url)) == "1"
    assert MeterRead.objects.filter(reader_key=f"u:{reader.pk}").count() == 4


def test_login_rotates_the_session_and_logout_ends_it(metered: list[Any], reader: Any) -> None:
    from django.conf import settings as django_settings

    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get(django_settings.SESSION_COOKIE_NAME)
    client.post("/accounts/login/", {"login": "reader@example.com", "password": "a long passphrase 42"})
    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after
    client.post("/accounts/logout/")
    stale = Client()
    stale.cookies[django_settings.SESSION_COOKIE_NAME] = after
    page = stale.get(metered[0].url)
    assert "reader@example.com" not in page.content.decode()
    assert paywall_state(page) == "metered-remaining" and data_remaining(page) == "2"


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db(transaction=True)
def test_the_paywall_adds_at_most_three_queries_to_an_article_view(
    pub: Any, reader: Any, monkeypatch: Any
) -> None:
    from masthead.access import services
    from masthead.access.policy import Decision, Reason

    articles = [make_article(pub) for _ in range(4)]

    def no_paywall(*, request: Any, article: Any, reader: Any = None) -> Any:
        decision = Decision(granted=True, reason=Reason.FREE, counts=False, prompt=None)
        return services.ArticleAccess(granted=True, teaser_blocks=3, decision=decision, gated_article=False)

    for client in (Client(), signed_in(reader)):
        # Warm the per-process caches (settings snapshot, site) the way a running server has them.
        _queries(client, articles[0].url)
        with_paywall = _queries(client, articles[1].url)
        monkeypatch.setattr(services, "article_access", no_paywall)
        without = _queries(client, articles[2].url)
        monkeypatch.undo()
        assert with_paywall - without <= 3, (with_paywall, without)
