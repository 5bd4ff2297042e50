"""The reader's account page: subscription facts, cancel, e-mail choices, export, delete."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from masthead.access.entitlements import active_entitlements
from masthead.access.models import Entitlement
from masthead.accounts.models import User
from masthead.billing.models import Interval, PaymentRecord, Plan, Provider, Subscription, SubscriptionStatus
from masthead.billing.services import sync_entitlements

pytestmark = pytest.mark.django_db
NOW = datetime(2030, 3, 10, 12, tzinfo=UTC)
PASSWORD = "a-long-reader-password"


@pytest.fixture
def subscriber() -> User:
    user = User.objects.create_user(email="sub@example.com", password=PASSWORD)
    plan = Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, currency="USD")
    subscription = Subscription.objects.create(
        user=user,
        plan=plan,
        provider=Provider.DEMO,
        status=SubscriptionStatus.ACTIVE,
        started_at=NOW - timedelta(days=10),
        current_period_end=NOW + timedelta(days=20),
    )
    sync_entitlements(subscription=subscription)
    PaymentRecord.objects.create(
        user=user,
        subscription=subscription,
        provider=Provider.DEMO,
        provider_invoice_id="in_1",
        amount_minor=1500,
        currency="USD",
        paid=True,
        customer_email=user.email,
        occurred_at=NOW,
    )
    return user


def test_the_account_shows_plan_status_and_renewal(client, subscriber):
    with time_machine.travel(NOW, tick=False):
        client.force_login(subscriber)
        html = client.get("/account/").content.decode()
    assert "Monthly" in html and "Active" in html
    assert "Renews" in html and "March 30, 2030" in html
    assert "Cancel subscription" in html


def test_anonymous_readers_are_asked_to_log_in(client):
    response = client.get("/account/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_cancel_keeps_access_until_the_period_end_then_it_stops(client, subscriber):
    with time_machine.travel(NOW, tick=False):
        client.force_login(subscriber)
        client.post("/account/cancel/")
        html = client.get("/account/").content.decode()
    subscription = Subscription.objects.get(user=subscriber)
    assert subscription.status == SubscriptionStatus.CANCELED
    assert "Full access until" in html and "Keep my subscription" in html
    end = subscription.current_period_end
    assert active_entitlements(user_id=subscriber.pk, now=end - timedelta(seconds=1))
    assert not active_entitlements(user_id=subscriber.pk, now=end)


def test_email_preferences_are_saved(client, subscriber):
    client.force_login(subscriber)
    client.post("/account/preferences/", {"newsletter_opt_in": "on"})
    subscriber.refresh_from_db()
    assert (subscriber.newsletter_opt_in, subscriber.billing_emails) == (True, False)


def test_export_contains_profile_subscriptions_entitlements_and_payments(client, subscriber):
    client.force_login(subscriber)
    response = client.get("/account/export/")
    data = json.loads(response.content)
    assert response["Content-Disposition"].startswith("attachment")
    assert data["profile"]["email"] == "sub@example.com"
    assert [s["status"] for s in data["subscriptions"]] == ["active"]
    assert [e["kind"] for e in data["entitlements"]] == ["subscription"]
    assert data["payments"][0]["amount_minor"] == 1500
    assert "reads" in data


def test_delete_needs_the_password(client, subscriber):
    client.force_login(subscriber)
    response = client.post("/account/delete/", {"password": "wrong"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=subscriber.pk).exists()


def test_delete_removes_the_reader_but_keeps_anonymised_invoices(client, subscriber):
    client.force_login(subscriber)
    response = client.post("/account/delete/", {"password": PASSWORD})
    assert "Your account is deleted" in response.content.decode()
    assert not User.objects.filter(email="sub@example.com").exists()
    assert not Entitlement.objects.exists() and not Subscription.objects.exists()
    [record] = PaymentRecord.objects.all()
    assert (record.user, record.customer_email, record.amount_minor) == (None, "", 1500)
    assert client.get("/account/").status_code == 302  # logged out
