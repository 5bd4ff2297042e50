"""Each subscription transition is recorded once, with the article that led there."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.analytics.models import Event
from masthead.analytics.receivers import transitions
from masthead.billing.models import Subscription, SubscriptionStatus
from tests.access.conftest import set_meter
from tests.analytics.conftest import BROWSER
from tests.builders import make_article, make_reader

S = SubscriptionStatus


@pytest.mark.parametrize(
    ("was", "now", "canceling", "returning", "expected"),
    [
        (None, S.INCOMPLETE, False, False, ["checkout_started"]),
        (S.INCOMPLETE, S.TRIALING, False, False, ["trial_started"]),
        (S.INCOMPLETE, S.ACTIVE, False, True, ["subscription_started", "reactivation"]),
        (S.INCOMPLETE, S.EXPIRED, False, False, ["checkout_abandoned"]),
        (S.TRIALING, S.ACTIVE, False, False, ["trial_converted"]),
        (S.TRIALING, S.EXPIRED, False, False, ["trial_expired"]),
        (S.ACTIVE, S.PAST_DUE, False, False, ["payment_failed"]),
        (S.ACTIVE, S.ACTIVE, True, False, ["cancellation"]),
        (S.ACTIVE, S.EXPIRED, False, False, ["lapse"]),
        (S.ACTIVE, S.ACTIVE, False, False, []),
    ],
)
def test_transitions(was: Any, now: Any, canceling: bool, returning: bool, expected: list[str]) -> None:
    sub = Subscription(status=now, cancel_at_period_end=canceling)
    assert transitions(was, False, sub, returning=returning) == expected


def test_a_demo_subscription_is_attributed_to_the_article_read_before_it(
    pub: Any, plans: dict[str, Any]
) -> None:
    from masthead.billing.services import complete_demo_checkout

    set_meter(pub, registered_limit=1)
    first, last = make_article(pub), make_article(pub)
    user = make_reader("payer@example.com", "a long passphrase 42")
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(user)
    client.get(first.url, HTTP_REFERER="https://www.bing.com/search?q=strait")
    client.get(last.url, HTTP_REFERER="http://testserver" + first.url)
    sub = Subscription.objects.create(user=user, plan=plans["monthly"], offer=plans["offer"], provider="demo")
    sub.price_minor, sub.intro_price_minor, sub.intro_intervals = 1500, 300, 3
    sub.currency, sub.interval = "USD", "month"
    sub.save()
    complete_demo_checkout(subscription=sub)
    started = Event.objects.get(kind="subscription_started")
    assert (started.last_touch_article_id, started.first_touch_article_id) == (last.pk, first.pk)
    assert (started.offer_id, started.amount_minor, started.account_id) == (plans["offer"].pk, 300, user.pk)
    assert started.referrer_class == "search", "the channel the reader came by, not the internal link"
    assert Event.objects.filter(kind="checkout_started").count() == 1
    assert Event.objects.filter(kind="renewal").count() == 0


def test_events_go_into_the_export_and_are_erased_with_the_account(pub: Any) -> None:
    from masthead.billing.privacy import delete_reader_account

    article = make_article(pub)
    user = make_reader("leaver@example.com", "a long passphrase 42")
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(user)
    client.get(article.url)
    data = client.get("/account/export/").json()
    assert [e["kind"] for e in data["analytics_events"]] == ["view"]
    assert data["analytics_events"][0]["article_id"] == article.pk
    delete_reader_account(user=user)
    assert not Event.objects.filter(account_id=user.pk).exists()
