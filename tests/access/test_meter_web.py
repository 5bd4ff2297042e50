"""The meter as a reader meets it on the web: counts, prompts, cookie, re-reads, headers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.access.identity import METER_COOKIE
from masthead.access.models import MeterRead
from masthead.sponsored.models import Sponsor
from tests.access.conftest import (
    data_remaining,
    has_canary,
    make_article,
    make_subscriber,
    paywall_state,
    set_meter,
    signed_in,
)

pytestmark = pytest.mark.django_db


def test_anonymous_reader_sees_two_one_last_then_the_registration_wall(metered: list[Any]) -> None:
    client = Client()
    seen = []
    for article in metered[:5]:
        response = client.get(article.url)
        assert response.status_code == 200
        seen.append((paywall_state(response), data_remaining(response), has_canary(response, article)))
    assert seen == [
        ("metered-remaining", "2", True),
        ("metered-remaining", "1", True),
        ("metered-last", "0", True),
        ("registration-wall", None, False),
        ("registration-wall", None, False),
    ]


def test_prompt_wording_uses_real_plurals_and_the_month(metered: list[Any]) -> None:
    client = Client()
    first = client.get(metered[0].url).content.decode()
    second = client.get(metered[1].url).content.decode()
    third = client.get(metered[2].url).content.decode()
    assert "You have 2 free articles left this month." in first
    assert "You have 1 free article left this month." in second
    assert "This is your last free article this month." in third


def test_rolling_window_does_not_say_this_month(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, period="rolling-days", rolling_days=30)
    html = Client().get(metered[0].url).content.decode()
    assert "You have 2 free articles left in the last 30 days." in html
    assert "this month" not in html


def test_re_reading_a_counted_article_is_free(metered: list[Any]) -> None:
    client = Client()
    for _ in range(4):
        response = client.get(metered[0].url)
        assert has_canary(response, metered[0])
    assert MeterRead.objects.count() == 1
    assert data_remaining(client.get(metered[1].url)) == "1"


def test_free_and_sponsored_articles_never_count(pub: Any, metered: list[Any]) -> None:
    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    free = make_article(pub, access="free")
    sponsored = make_article(pub, access="subscribers", sponsor=sponsor)
    client = Client()
    for article in (free, sponsored, free):
        response = client.get(article.url)
        assert has_canary(response, article)
        assert paywall_state(response) is None
    assert MeterRead.objects.count() == 0
    assert data_remaining(client.get(metered[0].url)) == "2"


def test_subscriber_only_articles_are_never_sampled(pub: Any) -> None:
    article = make_article(pub, access="subscribers")
    response = Client().get(article.url)
    assert paywall_state(response) == "subscribers-only"
    assert not has_canary(response, article)
    assert MeterRead.objects.count() == 0


def test_registered_article_walls_anonymous_and_opens_for_members(pub: Any, reader: Any) -> None:
    article = make_article(pub, access="registered")
    anonymous = Client().get(article.url)
    assert paywall_state(anonymous) == "registration-wall" and not has_canary(anonymous, article)
    member = signed_in(reader).get(article.url)
    assert has_canary(member, article) and paywall_state(member) is None


def test_head_and_prefetch_never_count_and_get_the_teaser(metered: list[Any]) -> None:
    client = Client()
    client.get(metered[0].url)  # the reader now has an id
    head = client.head(metered[1].url)
    assert head.status_code == 200 and not head.content
    for headers in ({"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_PURPOSE": "prefetch"},
                    {"HTTP_SEC_PURPOSE": "prefetch;prerender"}):  # fmt: skip
        response = client.get(metered[1].url, **headers)
        assert not has_canary(response, metered[1])
    assert MeterRead.objects.count() == 1
    assert data_remaining(client.get(metered[1].url)) == "1"


def test_cookie_is_signed_httponly_lax_and_holds_no_count(metered: list[Any]) -> None:
    client = Client()
    response = client.get(metered[0].url)
    cookie = response.cookies[METER_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    assert cookie["max-age"]
    # A second counted read keeps the same id: no new cookie.
    assert METER_COOKIE not in client.get(metered[1].url).cookies


def test_secure_cookie_in_production(metered: list[Any], settings: Any) -> None:
    settings.MASTHEAD_METER_COOKIE_SECURE = True
    assert Client().get(metered[0].url).cookies[METER_COOKIE]["secure"]


@pytest.mark.parametrize("value", ["", "garbage", "1.abc:tampered", "2.someone:xyz"])
def test_tampered_cookie_is_a_new_reader_never_an_error(metered: list[Any], value: str) -> None:
    client = Client()
    for article in metered[:3]:
        client.get(article.url)
    client.cookies[METER_COOKIE] = value
    response = client.get(metered[3].url)
    assert response.status_code == 200
    assert data_remaining(response) == "2"


def test_replayed_cookie_is_the_same_reader(metered: list[Any]) -> None:
    first = Client()
    first.get(metered[0].url)
    saved = first.cookies[METER_COOKIE].value
    for article in metered[1:3]:
        first.get(article.url)
    replay = Client()
    replay.cookies[METER_COOKIE] = saved
    response = replay.get(metered[3].url)
    assert paywall_state(response) == "registration-wall"
    assert not has_canary(response, metered[3])


def test_personalised_headers_on_every_article(pub: Any, metered: list[Any]) -> None:
    free = make_article(pub, access="free")
    gated = Client().get(metered[0].url)
    assert gated["Cache-Control"] == "private, no-store"
    assert "Cookie" in gated["Vary"]
    assert gated["X-Robots-Tag"] == "noarchive"
    open_page = Client().get(free.url)
    assert open_page["Cache-Control"] == "private, no-store"
    assert "X-Robots-Tag" not in open_page


def test_registered_reader_gets_five_then_the_offer(reader: Any, metered: list[Any]) -> None:
    client = signed_in(reader)
    states = [(paywall_state(r), data_remaining(r)) for r in (client.get(a.url) for a in metered[:6])]
    assert states == [
        ("metered-remaining", "4"),
        ("metered-remaining", "3"),
        ("metered-remaining", "2"),
        ("metered-remaining", "1"),
        ("metered-last", "0"),
        ("offer", None),
    ]
    wall = client.get(metered[6].url).content.decode()
    assert "See all offers and subscribe" in wall and 'href="/subscribe/?from=wall"' in wall


def test_subscribers_and_trialists_read_everything_without_counting(
    pub: Any, reader: Any, metered: list[Any]
) -> None:
    make_subscriber(reader, trial=True)
    client = signed_in(reader)
    exclusive = make_article(pub, access="subscribers")
    for article in [*metered, exclusive]:
        response = client.get(article.url)
        assert has_canary(response, article) and paywall_state(response) is None
    assert MeterRead.objects.count() == 0


def test_expired_trial_and_lapsed_subscription_are_told_so(pub: Any, metered: list[Any]) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    expired = users.create_user("trial@example.com", "pw long enough 1")
    lapsed = users.create_user("lapsed@example.com", "pw long enough 2")
    make_subscriber(expired, trial=True, ended_days_ago=2)
    make_subscriber(lapsed, ended_days_ago=2)
    exclusive = make_article(pub, access="subscribers")
    trial_page = signed_in(expired).get(exclusive.url).content.decode()
    assert (
        'data-paywall-state="trial-expired"' in trial_page and "Your trial period has expired." in trial_page
    )
    lapsed_page = signed_in(lapsed).get(exclusive.url).content.decode()
    assert 'data-paywall-state="access-expired"' in lapsed_page
    assert "Your full access to The Meridian Ledger has expired." in lapsed_page


def test_access_is_checked_against_the_end_time_on_each_request(pub: Any, reader: Any) -> None:
    exclusive = make_article(pub, access="subscribers")
    now = timezone.now()
    grant_entitlement(user=reader, kind="subscription", starts_at=now - timedelta(days=30),
                      ends_at=now + timedelta(hours=1), source_ref="sub_1")  # fmt: skip
    client = signed_in(reader)  # logged in while entitled; the session outlives the entitlement
    assert has_canary(client.get(exclusive.url), exclusive)
    with time_machine.travel(now + timedelta(hours=2)):
        response = client.get(exclusive.url)
    assert not has_canary(response, exclusive)
    assert paywall_state(response) == "access-expired"


def test_staff_read_everything_without_counting(pub: Any, metered: list[Any]) -> None:
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("ed@example.com", "pw long enough 3", is_staff=True)
    client = signed_in(editor)
    for article in metered:
        assert has_canary(client.get(article.url), article)
    assert MeterRead.objects.count() == 0


def test_teaser_length_follows_the_setting(pub: Any, metered: list[Any]) -> None:
    set_meter(pub, anonymous_limit=0, teaser_blocks=2)
    html = Client().get(metered[0].url).content.decode()
    assert "Paragraph 2 of story" in html
    assert "Paragraph 3 of story" not in html
