"""Logging out leaves the browser where the account was: no fresh anonymous allowance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from masthead.access.identity import METER_COOKIE
from tests.access.conftest import data_remaining, has_canary, paywall_state
from tests.access.stores import REDIS_TEST_URL, needs_redis

PASSWORD = "a long passphrase 42"


@pytest.fixture(params=["database", pytest.param("redis", marks=needs_redis)])
def store(request: Any, settings: Any, reader: Any) -> Iterator[str]:
    settings.MASTHEAD_METER_STORE = request.param
    settings.MASTHEAD_METER_REDIS_URL = REDIS_TEST_URL
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_TEST_URL)
        # User ids repeat between test databases; an earlier run's reads must not count here.
        for pk in (reader.pk, reader.pk + 1):  # the reader, and the housemate made after them
            stale = list(client.scan_iter(match=f"masthead:meter:*:u:{pk}", count=1000))
            if stale:
                client.delete(*stale)
    yield request.param


def signed_in_browser() -> Client:
    browser = Client()
    response = browser.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in browser.session
    return browser


# Two doors out: the logout button, and a password change (which signs the reader out).
DOORS: dict[str, tuple[str, dict[str, str]]] = {
    "logout": ("/accounts/logout/", {}),
    "password change": (
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "another long passphrase 7",
            "password2": "another long passphrase 7",
        },
    ),
}


def log_out(browser: Client, door: str = "logout") -> Any:
    url, form = DOORS[door]
    response = browser.post(url, form)
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session
    return response


@pytest.mark.parametrize("door", DOORS)
def test_a_reader_at_the_offer_who_logs_out_meets_the_registration_wall(
    store: str, metered: list[Any], door: str
) -> None:
    browser = signed_in_browser()
    for article in metered[:5]:
        assert has_canary(browser.get(article.url), article)
    assert paywall_state(browser.get(metered[5].url)) == "offer"

    log_out(browser, door)

    # No cookie deleted, nothing cleared: every further metered article is the wall.
    for article in metered[5:]:
        response = browser.get(article.url)
        assert paywall_state(response) == "registration-wall"
        assert not has_canary(response, article)


def test_a_reader_with_one_article_read_keeps_two_left_after_logging_out(
    store: str, metered: list[Any]
) -> None:
    browser = signed_in_browser()
    assert data_remaining(browser.get(metered[0].url)) == "4"

    log_out(browser)

    # The anonymous allowance is 3 and one of them is already used.
    assert data_remaining(browser.get(metered[1].url)) == "1"
    assert paywall_state(browser.get(metered[2].url)) == "metered-last"
    last = browser.get(metered[3].url)
    assert paywall_state(last) == "registration-wall" and not has_canary(last, metered[3])


def test_the_logout_response_gives_a_new_meter_cookie(store: str, metered: list[Any]) -> None:
    browser = Client()
    browser.get(metered[0].url)  # an anonymous read first: the browser has a meter cookie
    before = browser.cookies[METER_COOKIE].value
    browser.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    response = log_out(browser)

    cookie = response.cookies[METER_COOKIE]
    assert cookie.value and cookie.value != before
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    # The read from before signing in went into the account and came back out with it.
    assert data_remaining(browser.get(metered[1].url)) == "1"


def test_signing_back_in_after_logging_out_gains_nothing(store: str, metered: list[Any]) -> None:
    browser = signed_in_browser()
    browser.get(metered[0].url)
    log_out(browser)
    browser.get(metered[1].url)  # read while signed out: joins the account on the next login

    browser.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    assert [data_remaining(browser.get(a.url)) for a in metered[2:5]] == ["2", "1", "0"]
    assert paywall_state(browser.get(metered[5].url)) == "offer"


def test_the_next_account_at_a_shared_browser_does_not_inherit_the_last_ones_reads(
    store: str, metered: list[Any]
) -> None:
    from tests.builders import make_reader

    other = make_reader("housemate@example.com", PASSWORD)
    browser = signed_in_browser()
    for article in metered[:5]:
        browser.get(article.url)
    log_out(browser)

    browser.post("/accounts/login/", {"login": "housemate@example.com", "password": PASSWORD})

    assert browser.session["_auth_user_id"] == str(other.pk)
    assert data_remaining(browser.get(metered[0].url)) == "4"
