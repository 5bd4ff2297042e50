"""Revenue truth comes from billing records: MRR to the cent, new and churned, trials, refunds."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from itertools import count
from typing import Any

import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.analytics import revenue
from masthead.analytics.receivers import muted
from masthead.billing.models import PaymentRecord, RefusedReason, Subscription, SubscriptionStatus
from tests.analytics.conftest import staff_user

S = SubscriptionStatus
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
NOV_1 = datetime(2026, 11, 1, tzinfo=UTC)
_n = count(1)


def d(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


def sub(
    plan: Any, *, status: str, started: datetime | None, offer: Any = None, **fields: Any
) -> Subscription:
    user = get_user_model().objects.create_user(email=f"r{next(_n)}@example.com", password=None)
    s = Subscription(user=user, plan=plan, offer=offer, provider="demo", status=status, started_at=started)
    s.price_minor, s.currency, s.interval = plan.price_minor, plan.currency, plan.interval
    if offer is not None:
        s.intro_price_minor, s.intro_intervals = offer.intro_price_minor, offer.intro_intervals
    for name, value in fields.items():
        setattr(s, name, value)
    s.save()
    return s


def pay(s: Subscription, amount: int, at: datetime, *, refunded: datetime | None = None) -> None:
    PaymentRecord.objects.create(
        user=s.user,
        subscription=s,
        provider="demo",
        provider_invoice_id=f"in_{next(_n)}",
        amount_minor=amount,
        currency="USD",
        paid=True,
        occurred_at=at,
        refunded_at=refunded,
    )


def histories(plans: dict[str, Any]) -> None:
    monthly, annual, offer = plans["monthly"], plans["annual"], plans["offer"]
    with muted():
        a = sub(monthly, status=S.ACTIVE, started=d(6, 1))  # 15.00
        b = sub(monthly, status=S.ACTIVE, started=d(10, 1), offer=offer, intro_ends_at=d(1, 1, 2027))  # 3.00
        sub(
            monthly, status=S.ACTIVE, started=d(5, 1), offer=offer, intro_ends_at=d(8, 1)
        )  # intro over: 15.00
        sub(annual, status=S.ACTIVE, started=d(3, 3))  # 150.00 a year: 12.50
        sub(
            annual, status=S.CANCELED, started=d(2, 2), price_minor=10000, cancel_at_period_end=True
        )  # 8.3333…
        sub(monthly, status=S.TRIALING, started=d(11, 11), trial_end=d(11, 25))  # in trial: 0
        sub(monthly, status=S.EXPIRED, started=d(4, 1), ended_at=d(9, 1))  # gone before the range
        g = sub(  # a refused duplicate, refunded: never started for the reader
            monthly, status=S.CANCELED, started=d(11, 12), refused_reason=RefusedReason.ALREADY_SUBSCRIBED
        )
        sub(monthly, status=S.INCOMPLETE, started=None)  # an abandoned checkout
        j = sub(monthly, status=S.ACTIVE, started=d(11, 5))  # new in the range: 15.00
        sub(monthly, status=S.EXPIRED, started=d(7, 1), ended_at=d(11, 10))  # churned in the range
        sub(monthly, status=S.ACTIVE, started=d(10, 20), trial_end=d(11, 3))  # trial converted: 15.00
        sub(
            monthly, status=S.EXPIRED, started=d(10, 25), trial_end=d(11, 8), ended_at=d(11, 8)
        )  # trial lapsed
        pay(a, 1500, d(11, 1))
        pay(b, 300, d(11, 1))
        pay(j, 1500, d(11, 5))
        pay(g, 1500, d(11, 12), refunded=d(11, 13))
        pay(a, 1500, d(10, 1))  # before the range


def test_mrr_new_churn_trials_and_cash_to_the_cent(plans: dict[str, Any]) -> None:
    histories(plans)
    summary = revenue.summary(NOV_1, NOW)
    # 15 + 3 + 15 + 12.50 + 8.3333 + 15 + 15 = 83.8333 -> 83.83
    assert summary.mrr == {"USD": Decimal(8383)}
    assert summary.paying == 7
    assert summary.arpu == {"USD": Decimal(1198)}  # 83.8333 / 7 = 11.976…
    assert (summary.new, summary.churned, summary.subscribers_at_start) == (2, 2, 8)
    assert summary.churn_rate == 2 / (8 + 2)
    assert (summary.trials_ended, summary.trials_converted) == (2, 1)
    assert summary.revenue == {"USD": 3300} and summary.refunds == {"USD": 1500}


def test_mrr_equals_the_sum_over_the_current_subscriptions_on_any_day(plans: dict[str, Any]) -> None:
    histories(plans)
    for moment in (d(3, 15), d(6, 30), d(8, 2), d(10, 31), NOW):
        expected = Decimal(0)
        for s in Subscription.objects.filter(refused_reason="").exclude(status=S.INCOMPLETE):
            live = s.started_at <= moment and (s.ended_at is None or s.ended_at > moment)
            trial = s.trial_end is not None and moment < s.trial_end
            if not live or trial:
                continue
            intro = s.intro_ends_at is not None and moment < s.intro_ends_at
            price = Decimal(s.intro_price_minor if intro else s.price_minor)
            expected += price / 12 if s.interval == "year" else price
        assert expected > 0
        assert revenue.mrr_at(moment) == {"USD": expected.quantize(Decimal(1))}


def test_the_dashboard_shows_the_billing_figures(plans: dict[str, Any]) -> None:
    histories(plans)
    client = Client()
    client.force_login(staff_user("analyst@example.com", analytics=True))
    with time_machine.travel(NOW, tick=False):
        html = client.get("/admin/analytics/", {"start": "2026-11-01", "end": "2026-11-20"}).content.decode()
    assert "<strong data-mrr>83.83</strong>" in html
    assert "Cohort retention" in html
