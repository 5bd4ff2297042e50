"""The offer leaves a trace: a reader who takes "3 months for $9" sees what they took — the offer,
the introductory price and for how long, then the regular price and the date it starts — and each
payment, on the welcome page, /account/ and in the data export. Editing the offer later changes
none of it."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import translation

from masthead.billing.models import PaymentRecord, Subscription, SubscriptionStatus
from masthead.billing.services import tidy_subscription

pytestmark = pytest.mark.django_db

# 10:00 in New York (the publication's zone) on 31 January: a month end, so the months that
# follow are short (28 February) and long (31 March) again.
TAKEN = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)


def _text(html: str) -> str:
    """The page as a reader reads it: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _take_the_offer(client, reader, offer) -> str:
    client.force_login(reader)
    checkout = client.post("/subscribe/", {"offer": offer.pk})["Location"]
    assert "3 months for $9" in client.get(checkout).content.decode()
    welcome = client.post(checkout, follow=True)
    assert welcome.status_code == 200
    return _text(welcome.content.decode())


@pytest.fixture
def demo(settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    return settings


@time_machine.travel(TAKEN, tick=False)
def test_the_welcome_page_says_what_the_reader_took_and_the_payment_taken(client, reader, offer, demo):
    page = _take_the_offer(client, reader, offer)

    assert "Welcome, subscriber" in page
    assert (
        "You took “3 months for $9”: $9 for 3 months ($3 a month), then $15 a month from April 30, 2026."
        in page
    )
    assert "Next payment $3.00 on Feb. 28, 2026" in page
    assert (
        "Payment taken $3.00 on Jan. 31, 2026: Monthly, 3 months for $9: introductory price, month 1 of 3"
        in page
    )


@time_machine.travel(TAKEN, tick=False)
def test_the_account_page_and_the_export_show_the_terms_and_every_payment(client, reader, offer, demo):
    _take_the_offer(client, reader, offer)

    account = _text(client.get("/account/").content.decode())
    data = json.loads(client.get("/account/export/").content)

    assert (
        "You took “3 months for $9”: $9 for 3 months ($3 a month), then $15 a month from April 30, 2026."
        in account
    )
    assert "Regular price $15 a month from April 30, 2026" in account
    assert "Jan. 31, 2026 Monthly, 3 months for $9: introductory price, month 1 of 3 $3.00 Paid" in account
    [subscription] = data["subscriptions"]
    assert subscription["terms"] == {
        "offer": "3 months for $9",
        "intro_price": {"amount_minor": 300, "currency": "USD"},
        "intro_intervals": 3,
        "intro_price_text": "$9 for 3 months",
        "intro_ends_at": "2026-04-30T14:00:00+00:00",  # 10:00 in New York, daylight saving time
        "regular_price": {"amount_minor": 1500, "currency": "USD"},
        "interval": "month",
        "regular_price_text": "$15 a month",
        "next_charge_at": "2026-02-28T15:00:00+00:00",
        "next_charge_text": "$3.00",
    }
    [payment] = data["payments"]
    assert payment["amount_minor"] == 300 and payment["currency"] == "USD"
    assert payment["for"] == "Monthly, 3 months for $9: introductory price, month 1 of 3"
    assert (payment["status"], payment["introductory_price"], payment["refunded"]) == ("paid", True, False)
    assert payment["date"] == "2026-01-31T15:00:00+00:00"


@time_machine.travel(TAKEN, tick=False)
def test_an_offer_or_plan_edited_later_does_not_rewrite_what_the_reader_took(client, reader, offer, demo):
    _take_the_offer(client, reader, offer)
    subscription = Subscription.objects.get(user=reader)
    before = _text(client.get(f"/subscribe/demo/{subscription.pk}/welcome/").content.decode())

    offer.headline, offer.intro_price_minor, offer.intro_intervals = "6 months for $5", 83, 6
    offer.save()
    offer.plan.price_minor = 2500
    offer.plan.save()

    after = _text(client.get(f"/subscribe/demo/{subscription.pk}/welcome/").content.decode())
    account = _text(client.get("/account/").content.decode())
    terms = json.loads(client.get("/account/export/").content)["subscriptions"][0]["terms"]
    assert after == before
    assert "3 months for $9" in account and "then $15 a month from April 30, 2026" in account
    assert "6 months" not in account and "$25" not in account
    assert (terms["offer"], terms["regular_price"]["amount_minor"]) == ("3 months for $9", 1500)


def test_demo_renewals_are_charged_per_period_intro_then_regular(client, reader, offer, demo):
    with time_machine.travel(TAKEN, tick=False):
        _take_the_offer(client, reader, offer)
    subscription = Subscription.objects.get(user=reader)

    # The billing sweep runs a little after each renewal date.
    for sweep in ("2026-02-28T16:00", "2026-03-31T15:30", "2026-04-30T14:30", "2026-05-31T15:00"):
        moment = datetime.fromisoformat(sweep).replace(tzinfo=UTC)
        with time_machine.travel(moment, tick=False):
            subscription.refresh_from_db()
            assert tidy_subscription(subscription=subscription, now=moment)

    rows = list(PaymentRecord.objects.filter(user=reader).order_by("occurred_at"))
    charged = [(row.occurred_at.date().isoformat(), row.amount_minor, row.intro) for row in rows]
    # Counted from 31 January in New York: 28 February, then 31 March (not 28 March).
    assert charged == [
        ("2026-01-31", 300, True),
        ("2026-02-28", 300, True),
        ("2026-03-31", 300, True),
        ("2026-04-30", 1500, False),
        ("2026-05-31", 1500, False),
    ]
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.current_period_end == datetime(2026, 6, 30, 14, 0, tzinfo=UTC)
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC), tick=False):
        client.force_login(reader)  # the session of January has expired
        account = _text(client.get("/account/").content.decode())
    assert "Monthly, 3 months for $9: introductory price, month 3 of 3 $3.00 Paid" in account
    assert "April 30, 2026 Monthly: regular price $15.00 Paid" in account
    assert "Next payment $15.00 on June 30, 2026" in account


@time_machine.travel(TAKEN, tick=False)
def test_a_plan_without_an_offer_says_its_price_and_records_its_payment(client, reader, annual, demo):
    client.force_login(reader)
    checkout = client.post("/subscribe/", {"plan": annual.pk})["Location"]
    page = _text(client.post(checkout, follow=True).content.decode())

    assert "You pay $150 a year." in page and "You took" not in page
    assert "Payment taken $150.00 on Jan. 31, 2026: Annual: regular price" in page
    assert "Next payment $150.00 on Jan. 31, 2027" in page


@time_machine.travel(TAKEN, tick=False)
def test_a_refused_duplicate_shows_its_payment_as_refunded(
    client, reader, offer, annual, demo, django_capture_on_commit_callbacks
):
    client.force_login(reader)
    first = client.post("/subscribe/", {"offer": offer.pk})["Location"]
    second = client.post("/subscribe/", {"plan": annual.pk})["Location"]
    client.post(first)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(second)  # completes after the first: refused, canceled and refunded

    account = _text(client.get("/account/").content.decode())

    assert "Annual: regular price $150.00 Refunded" in account
    assert "introductory price, month 1 of 3 $3.00 Paid" in account


@time_machine.travel(TAKEN, tick=False)
def test_the_terms_read_in_japanese(client, reader, offer, demo, settings):
    _take_the_offer(client, reader, offer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"

    account = _text(client.get("/account/", HTTP_ACCEPT_LANGUAGE="ja").content.decode())

    assert "「3 months for $9」をお申し込みいただきました：3か月で$9（月額$3）" in account
    assert "2026年4月30日からは月額$15です。" in account
    assert "次回のお支払い 2026年2月28日に$3.00" in account
    assert (
        "お支払い履歴" in account
        and "Monthly（3 months for $9）：初回特別価格、3か月中1か月目 $3.00 支払い済み" in account
    )


def test_stripe_subscriptions_keep_the_offer_the_coupon_end_and_intro_invoices(reader, offer):
    from masthead.billing.services import apply_stripe_snapshot, copy_terms, record_invoice
    from masthead.billing.stripe_objects import InvoiceFacts, SubscriptionSnapshot
    from masthead.billing.terms import reader_payments, subscription_terms

    subscription = Subscription(user=reader, plan=offer.plan, offer=offer, provider="stripe")
    copy_terms(subscription=subscription, plan=offer.plan, offer=offer)
    subscription.save()
    start, coupon_end = 1769871600, 1777647600  # 31 Jan 2026 15:00 UTC; 1 May 2026 15:00 UTC (Stripe's)
    apply_stripe_snapshot(
        snapshot=SubscriptionSnapshot.from_stripe(
            {
                "id": "sub_intro",
                "customer": "cus_1",
                "status": "active",
                "start_date": start,
                "items": {"data": [{"current_period_end": 1772290800, "price": {"id": "price_monthly"}}]},
                "discount": {"coupon": {"id": "coupon_intro"}, "end": coupon_end},
                "metadata": {"masthead_subscription": str(subscription.pk)},
            }
        ),
        observed_at=datetime.fromtimestamp(start, tz=UTC),
    )
    record_invoice(
        invoice=InvoiceFacts.from_stripe(
            {
                "id": "in_intro_1",
                "subscription": "sub_intro",
                "amount_paid": 300,
                "currency": "usd",
                "total_discount_amounts": [{"amount": 1200}],
                "lines": {
                    "data": [{"description": "1 × Monthly", "period": {"start": start, "end": 1772290800}}]
                },
            },
            paid=True,
        ),
        paid=True,
        occurred_at=datetime.fromtimestamp(start, tz=UTC),
    )
    offer.headline = "Edited later"
    offer.save()

    subscription.refresh_from_db()
    with translation.override("en"):
        terms = subscription_terms(subscription)
        [payment] = reader_payments(user_id=reader.pk)
    # Stripe says when its coupon ends; that is the date the reader is told.
    assert terms.intro_ends_at == datetime.fromtimestamp(coupon_end, tz=UTC)
    assert (terms.offer_headline, terms.next_charge_text) == ("3 months for $9", "$3.00")
    assert payment.description == "Monthly, 3 months for $9: introductory price, month 1 of 3"
    assert (payment.amount_text, payment.status) == ("$3.00", "paid")
