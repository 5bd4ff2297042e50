"""The article endpoint goes through the web's paywall: same states, same meter, same cut."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.access.meter import MeterStoreUnavailable
from masthead.access.models import PromptText
from masthead.billing.models import Offer, Plan
from tests.api.conftest import bearer
from tests.api.helpers import assert_error, assert_no_canary
from tests.builders import canary_for, make_article

pytestmark = pytest.mark.django_db

TEASER = 3  # MeterSettings.teaser_blocks default
ANONYMOUS_LIMIT = 3
REGISTERED_LIMIT = 5


@pytest.fixture
def featured_offer(db: Any) -> Offer:
    plan = Plan.objects.create(
        name="Digital",
        interval="month",
        price_minor=1500,
        currency="USD",
        benefits=["All articles", "The apps"],
    )
    now = timezone.now().replace(microsecond=0)
    return Offer.objects.create(
        plan=plan, headline="3 months for $9", intro_price_minor=300, intro_intervals=3,
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30), featured=True,
    )  # fmt: skip


def read_all(read: Callable[..., Any], articles: list[Any], token: str) -> list[dict[str, Any]]:
    return [read(article, token).json() for article in articles]


def test_a_metered_read_returns_the_whole_body_and_the_meter_notice(
    read_article: Callable[..., Any], articles: list[Any], device_token: str
) -> None:
    response = read_article(articles[0], device_token)

    body = response.json()
    assert body["granted"] is True and body["paywall"] is None
    assert len(body["body"]) == 8
    assert canary_for(articles[0].slug) in body["body"][-1]["html"]
    assert body["meter"]["state"] == "metered-remaining" and body["meter"]["remaining"] == 2
    assert body["meter"]["prompt"] == "You have 2 free articles left this month."
    assert response["Cache-Control"] == "private, no-store"
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert "masthead_meter" not in response.cookies


def test_an_anonymous_app_reader_meets_the_registration_wall_after_the_free_articles(
    read_article: Callable[..., Any], articles: list[Any], device_token: str
) -> None:
    reads = read_all(read_article, articles[:4], device_token)

    assert [r["meter"]["state"] for r in reads[:3]] == [
        "metered-remaining",
        "metered-remaining",
        "metered-last",
    ]
    assert reads[2]["meter"]["prompt"] == "This is your last free article this month."
    wall = reads[3]
    assert wall["granted"] is False and wall["meter"] is None
    assert wall["paywall"]["state"] == "registration-wall" and wall["paywall"]["remaining"] == 0
    assert "Register for free" in wall["paywall"]["prompt"]
    assert len(wall["body"]) == TEASER
    assert canary_for(articles[3].slug) not in str(wall)


def test_rereading_a_counted_article_is_free(
    read_article: Callable[..., Any], articles: list[Any], device_token: str
) -> None:
    read_all(read_article, articles[:3], device_token)

    again = read_article(articles[0], device_token).json()

    assert again["granted"] is True and len(again["body"]) == 8


def test_a_registered_reader_is_offered_a_subscription_after_their_allowance(
    read_article: Callable[..., Any], articles: list[Any], reader_token: str, featured_offer: Offer
) -> None:
    reads = read_all(read_article, articles[:6], reader_token)

    assert all(r["granted"] for r in reads[:5])
    paywall = reads[5]["paywall"]
    assert reads[5]["granted"] is False
    assert paywall["state"] == "offer" and paywall["remaining"] == 0
    assert paywall["offer"]["headline"] == "3 months for $9"
    assert paywall["offer"]["benefits"] == ["All articles", "The apps"]
    assert datetime.fromisoformat(paywall["offer"]["ends_at"]) == featured_offer.ends_at


@pytest.mark.parametrize(
    ("kind", "state", "words"),
    [
        ("trial", "trial-expired", "trial period has expired"),
        ("subscription", "access-expired", "full access"),
    ],
)
def test_lapsed_readers_are_told_their_access_ended(
    read_article: Callable[..., Any], pub: Any, reader: Any, reader_token: str, featured_offer: Offer,
    kind: str, state: str, words: str,
) -> None:  # fmt: skip
    now = timezone.now()
    grant_entitlement(
        user=reader, kind=kind, starts_at=now - timedelta(days=40), ends_at=now - timedelta(days=10)
    )
    article = make_article(pub, access="subscribers")

    body = read_article(article, reader_token).json()

    assert body["granted"] is False
    assert body["paywall"]["state"] == state and words in body["paywall"]["prompt"]
    assert body["paywall"]["offer"]["headline"] == "3 months for $9"


def test_subscriber_only_articles_are_never_sampled(
    read_article: Callable[..., Any], pub: Any, device_token: str
) -> None:
    article = make_article(pub, access="subscribers")

    body = read_article(article, device_token).json()

    assert body["granted"] is False and body["paywall"]["state"] == "subscribers-only"
    assert body["paywall"]["remaining"] is None
    assert len(body["body"]) == TEASER
    assert_no_canary(read_article(article, device_token), [article])
    assert read_article(make_article(pub), device_token).json()["meter"]["remaining"] == 2


def test_a_subscriber_reads_everything_without_a_meter(
    read_article: Callable[..., Any], pub: Any, reader: Any, reader_token: str, api: Client
) -> None:
    grant_entitlement(
        user=reader, kind="subscription", starts_at=timezone.now() - timedelta(days=1), ends_at=None
    )
    articles = [make_article(pub, access=level) for level in ("metered", "registered", "subscribers")] + [
        make_article(pub) for _ in range(6)
    ]

    reads = read_all(read_article, articles, reader_token)

    assert all(r["granted"] and r["paywall"] is None and r["meter"] is None for r in reads)
    me = api.get("/api/v1/me", **bearer(reader_token)).json()
    assert me["entitled"] is True and me["meter"] is None
    assert [e["kind"] for e in me["entitlements"]] == ["subscription"]


def test_registered_only_articles_need_an_account(
    read_article: Callable[..., Any], pub: Any, device_token: str, reader_token: str
) -> None:
    article = make_article(pub, access="registered")

    assert read_article(article, device_token).json()["paywall"]["state"] == "registration-wall"
    assert read_article(article, reader_token).json()["granted"] is True


def test_free_and_sponsored_articles_never_count(
    read_article: Callable[..., Any], pub: Any, device_token: str, api: Client
) -> None:
    from masthead.sponsored.models import Sponsor

    sponsor = Sponsor.objects.create(name="Acme", disclosure="Paid for by Acme.")
    free, sponsored = (
        make_article(pub, access="free"),
        make_article(pub, access="subscribers", sponsor=sponsor),
    )

    for article in (free, sponsored, free):
        assert read_article(article, device_token).json()["granted"] is True

    assert api.get("/api/v1/me", **bearer(device_token)).json()["meter"]["read"] == 0


@pytest.mark.parametrize("how", ["query", "header"])
def test_the_prompt_is_in_the_requested_language(
    read_article: Callable[..., Any], api: Client, articles: list[Any], device_token: str, how: str
) -> None:
    PromptText.objects.create(
        state="metered-remaining", language="ja", singular="残り{remaining}本", plural="残り{remaining}本です"
    )

    if how == "query":
        response = read_article(articles[0], device_token, lang="ja")
    else:
        response = api.get(
            f"/api/v1/articles/{articles[0].pk}", HTTP_ACCEPT_LANGUAGE="ja", **bearer(device_token)
        )

    assert response.json()["meter"]["prompt"] == "残り2本です"


def test_an_unknown_language_falls_back_to_the_default(
    read_article: Callable[..., Any], articles: list[Any], device_token: str
) -> None:
    body = read_article(articles[0], device_token, lang="xx-YY").json()

    assert body["meter"]["prompt"].startswith("You have 2 free articles")


def test_a_meter_outage_is_a_503_without_the_body(
    read_article: Callable[..., Any], articles: list[Any], device_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unavailable() -> Any:
        raise MeterStoreUnavailable("redis is down")

    monkeypatch.setattr("masthead.access.services.meter_store", unavailable)

    response = read_article(articles[0], device_token)

    assert_error(response, 503, "meter_unavailable")
    assert_no_canary(response, articles)


def test_the_meter_is_shared_with_the_web(
    read_article: Callable[..., Any], pub: Any, reader: Any, reader_token: str, api: Client
) -> None:
    articles = [make_article(pub) for _ in range(REGISTERED_LIMIT + 1)]
    browser = Client()
    browser.force_login(reader)
    for article in articles[:3]:
        assert browser.get(article.url).status_code == 200
    for article in articles[3:5]:
        assert read_article(article, reader_token).json()["granted"] is True

    assert api.get("/api/v1/me", **bearer(reader_token)).json()["meter"] == {
        "limit": REGISTERED_LIMIT, "read": 5, "remaining": 0, "period_ends_at": _month_end(api, reader_token),
    }  # fmt: skip
    web = browser.get(articles[5].url)
    assert canary_for(articles[5].slug) not in web.content.decode()
    assert read_article(articles[5], reader_token).json()["granted"] is False
    # What the web already counted is free to re-read in the app.
    assert read_article(articles[0], reader_token).json()["granted"] is True


def _month_end(api: Client, token: str) -> Any:
    return api.get("/api/v1/me", **bearer(token)).json()["meter"]["period_ends_at"]


@pytest.mark.parametrize(("blocks", "shown"), [(8, 3), (6, 3), (4, 2), (2, 1), (1, 0)])
def test_a_short_article_is_never_given_away_by_its_teaser(
    read_article: Callable[..., Any], pub: Any, device_token: str, blocks: int, shown: int
) -> None:
    article = make_article(pub, access="subscribers", paragraphs=blocks)

    body = read_article(article, device_token).json()

    assert len(body["body"]) == shown
    assert canary_for(article.slug) not in str(body)


def test_signing_in_from_an_anonymous_device_keeps_its_reads(
    read_article: Callable[..., Any], api: Client, articles: list[Any], reader: Any, device_token: str
) -> None:
    from tests.api.conftest import PASSWORD

    read_all(read_article, articles[:2], device_token)

    signed_in = api.post(
        "/api/v1/auth/token",
        {"email": "reader@example.com", "password": PASSWORD},
        content_type="application/json",
        **bearer(device_token),
    )

    token = signed_in.json()["token"]
    assert api.get("/api/v1/me", **bearer(token)).json()["meter"]["read"] == 2
    assert read_article(articles[0], token).json()["meter"]["remaining"] == 3  # a re-read is free
    assert api.get("/api/v1/me", **bearer(device_token)).status_code == 401
