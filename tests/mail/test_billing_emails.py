"""Billing e-mails as the subscriber receives them: the welcome and the receipt say what they
took (offer, introductory price, regular price and when it starts, next payment); every payment
gets a receipt, once; renewals, the end of an introductory price, an annual renewal and a
cancellation are each told once; all from the publication, HTML with a text part, in the
reader's language, dates in the publication's time zone, links at the site's address."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client

from masthead.billing.models import PaymentRecord, Provider, Subscription, SubscriptionStatus
from masthead.billing.services import record_invoice, sync_entitlements
from masthead.billing.stripe_objects import InvoiceFacts
from tests.mail.conftest import SITE_URL, links, parts

pytestmark = pytest.mark.django_db

# 10:00 in New York (the publication's zone) on 31 January 2026.
TAKEN = datetime(2026, 1, 31, 15, 0, tzinfo=UTC)


@pytest.fixture
def demo(settings: Any) -> Any:
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    return settings


def take_the_offer(reader: Any, offer: Any, capture: Any) -> Subscription:
    client = Client()
    client.force_login(reader)
    with capture(execute=True):
        checkout = client.post("/subscribe/", {"offer": offer.pk})["Location"]
        assert client.post(checkout).status_code == 302
    return Subscription.objects.get(user=reader)


def sweep() -> None:
    call_command("billing_sweep", stdout=io.StringIO())


@time_machine.travel(TAKEN, tick=False)
def test_taking_the_offer_sends_a_welcome_and_a_receipt_over_smtp(
    reader: Any, offer: Any, demo: Any, pub: Any, site_url: str, smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    take_the_offer(reader, offer, django_capture_on_commit_callbacks)

    welcome, receipt = smtp_server.received
    assert welcome["Subject"] == "Welcome to The Meridian Ledger"
    assert receipt["Subject"] == "Your receipt from The Meridian Ledger: $3.00"
    for message in (welcome, receipt):
        assert parseaddr(message["From"]) == ("The Meridian Ledger", "newsroom@meridian-ledger.example")
        assert message["To"] == "reader@example.com"
        text, html = parts(message)
        assert links(text) and all(link.startswith(SITE_URL) for link in links(text) + links(html))
        assert "Offer: 3 months for $9 ($3 a month for 3 months)" in text
        assert "Then: $15 a month from April 30, 2026" in text
        assert "Next payment: $3.00 on Feb. 28, 2026" in text
        assert "3 months for $9 ($3 a month for 3 months)" in html
    text, html = parts(receipt)
    assert "Amount paid: $3.00" in text
    assert "Date: Jan. 31, 2026" in text
    assert "For: Monthly, 3 months for $9: introductory price, month 1 of 3" in text
    assert "Period: Jan. 31, 2026 – Feb. 28, 2026" in text
    assert "it concerns your payments" in text  # a service message, whatever the reader's choices
    assert "<strong>Amount paid:</strong> $3.00" in html


@time_machine.travel(TAKEN, tick=False)
def test_a_japanese_reader_gets_them_in_japanese_over_smtp(
    reader: Any, offer: Any, demo: Any, pub: Any, site_url: str, smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    reader.language = "ja"
    reader.save()

    take_the_offer(reader, offer, django_capture_on_commit_callbacks)

    welcome, receipt = smtp_server.received
    # (A Japanese subject is folded onto the next line of the header; unfolding leaves a space.)
    assert welcome["Subject"].strip() == "The Meridian Ledger へようこそ"
    assert receipt["Subject"].strip() == "The Meridian Ledger の領収書：$3.00"
    text, html = parts(receipt)
    assert "お支払い金額： $3.00" in text
    assert "日付： 2026年1月31日" in text
    assert "Amount paid" not in text and "Thank you" not in text
    assert '<html lang="ja">' in html
    assert all(link.startswith(SITE_URL) for link in links(text) + links(html))


@time_machine.travel(TAKEN, tick=False)
def test_every_payment_has_one_receipt_and_a_renewal_says_so(
    reader: Any, offer: Any, demo: Any, pub: Any, django_capture_on_commit_callbacks: Any
) -> None:
    take_the_offer(reader, offer, django_capture_on_commit_callbacks)
    sweep()
    sweep()
    assert [m.subject for m in mail.outbox] == [
        "Welcome to The Meridian Ledger",
        "Your receipt from The Meridian Ledger: $3.00",
    ]
    mail.outbox.clear()

    with time_machine.travel(datetime(2026, 3, 1, 15, 0, tzinfo=UTC), tick=False):
        sweep()
        sweep()

    [renewal] = mail.outbox
    assert renewal.subject == "Your subscription to The Meridian Ledger has renewed: receipt for $3.00"
    assert "Thank you: your subscription has renewed." in renewal.body
    assert "For: Monthly, 3 months for $9: introductory price, month 2 of 3" in renewal.body
    assert PaymentRecord.objects.filter(user=reader, paid=True).count() == 2


@time_machine.travel(TAKEN, tick=False)
def test_a_stripe_payment_gets_its_receipt_from_the_sweep(reader: Any, monthly: Any, pub: Any) -> None:
    subscription = Subscription.objects.create(
        user=reader, plan=monthly, provider=Provider.STRIPE, status=SubscriptionStatus.ACTIVE,
        provider_subscription_id="sub_1", started_at=TAKEN, current_period_end=TAKEN + timedelta(days=28),
        welcome_sent_at=TAKEN,
    )  # fmt: skip
    invoice = InvoiceFacts(
        id="in_1", customer="cus_1", subscription_id="sub_1", amount_minor=1500, currency="usd",
        customer_email="reader@example.com", description="1 × Monthly", period_start=TAKEN,
        period_end=TAKEN + timedelta(days=28),
    )  # fmt: skip
    record_invoice(invoice=invoice, paid=True, occurred_at=TAKEN)

    sweep()
    sweep()

    [receipt] = mail.outbox
    assert receipt.subject == "Your receipt from The Meridian Ledger: $15.00"
    assert "Reference: in_1" in receipt.body
    assert subscription.pk == PaymentRecord.objects.get().subscription_id


@time_machine.travel(TAKEN, tick=False)
def test_canceling_confirms_access_until_the_period_ends_once(
    reader: Any, offer: Any, demo: Any, pub: Any, django_capture_on_commit_callbacks: Any
) -> None:
    reader.billing_emails = False  # a confirmation of what the reader asked for is still sent
    reader.save()
    subscription = take_the_offer(reader, offer, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    client = Client()
    client.force_login(reader)

    client.post("/account/cancel/")
    client.post("/account/cancel/", {"resume": "1"})
    client.post("/account/cancel/")
    sweep()

    [confirmation] = mail.outbox
    assert confirmation.subject == "Your subscription to The Meridian Ledger is canceled"
    assert (
        "As you asked, your subscription to The Meridian Ledger is canceled. You keep full access until "
        "Feb. 28, 2026, and we will not charge you again." in confirmation.body
    )
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.CANCELED


def _subscription(reader: Any, plan: Any, **facts: Any) -> Subscription:
    subscription = Subscription.objects.create(
        user=reader, plan=plan, provider=Provider.DEMO, welcome_sent_at=TAKEN - timedelta(days=300), **facts
    )
    sync_entitlements(subscription=subscription)
    return subscription


@time_machine.travel(TAKEN, tick=False)
def test_an_annual_subscriber_is_told_30_days_before_the_renewal_a_monthly_one_is_not(
    reader: Any, annual: Any, monthly: Any, pub: Any
) -> None:
    from masthead.accounts.models import User

    _subscription(
        reader, annual, status=SubscriptionStatus.ACTIVE, started_at=TAKEN - timedelta(days=345),
        current_period_end=TAKEN + timedelta(days=20),
    )  # fmt: skip
    other = User.objects.create_user(email="monthly@example.com", password="x-long-password-1")
    _subscription(
        other, monthly, status=SubscriptionStatus.ACTIVE, started_at=TAKEN - timedelta(days=10),
        current_period_end=TAKEN + timedelta(days=20),
    )  # fmt: skip

    sweep()
    sweep()

    [reminder] = mail.outbox
    assert reminder.to == ["reader@example.com"]
    assert reminder.subject == "Your subscription to The Meridian Ledger renews on Feb. 20, 2026"
    assert "we will take $150.00 for the year ahead" in reminder.body


@time_machine.travel(TAKEN, tick=False)
def test_a_reader_who_opted_out_gets_no_renewal_reminder(reader: Any, annual: Any, pub: Any) -> None:
    reader.billing_emails = False
    reader.save()
    _subscription(
        reader, annual, status=SubscriptionStatus.ACTIVE, started_at=TAKEN - timedelta(days=345),
        current_period_end=TAKEN + timedelta(days=20),
    )  # fmt: skip

    sweep()

    assert mail.outbox == []


@time_machine.travel(TAKEN, tick=False)
def test_the_end_of_the_introductory_price_is_told_a_week_before(
    reader: Any, offer: Any, demo: Any, pub: Any, django_capture_on_commit_callbacks: Any
) -> None:
    take_the_offer(reader, offer, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    with time_machine.travel(datetime(2026, 4, 25, 15, 0, tzinfo=UTC), tick=False):
        sweep()
        sweep()

    notices = [m for m in mail.outbox if "introductory price" in m.subject]
    [notice] = notices
    assert notice.subject == "Your introductory price for The Meridian Ledger ends on April 30, 2026"
    assert (
        "The introductory price you took (3 months for $9) ends on April 30, 2026. From then on your "
        "subscription costs $15 a month." in notice.body
    )
