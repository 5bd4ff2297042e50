"""Outbound Stripe calls against localstripe (a stateful fake Stripe API) on 127.0.0.1."""

from __future__ import annotations

import time

import pytest
import stripe
from django.core.management import call_command

from masthead.access.entitlements import active_entitlements
from masthead.billing.models import Provider, Subscription, SubscriptionStatus
from masthead.billing.providers import stripe as stripe_provider
from masthead.billing.services import cancel_at_period_end

pytestmark = pytest.mark.django_db


@pytest.fixture
def localstripe(localstripe_url, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_API_BASE = localstripe_url
    stripe_provider.use_http_client(None)
    client = stripe_provider.stripe_client()
    price_id = f"price_monthly_{time.monotonic_ns()}"
    product = client.v1.products.create(params={"name": "Monthly"})
    client.v1.plans.create(
        params={"id": price_id, "product": product.id, "amount": 1500, "currency": "usd", "interval": "month"}
    )
    return client, price_id


def _paying_customer(client: stripe.StripeClient, email: str) -> str:
    card = {"number": "4242424242424242", "exp_month": "12", "exp_year": "2034", "cvc": "123"}
    token = client.v1.tokens.create(params={"card": card})
    return str(client.v1.customers.create(params={"email": email, "source": token.id}).id)


def test_reconcile_repairs_missed_webhooks(localstripe, reader, monthly):
    client, price_id = localstripe
    monthly.provider_price_id = price_id
    monthly.save()
    local = Subscription.objects.create(user=reader, plan=monthly, provider=Provider.STRIPE)
    customer = _paying_customer(client, reader.email)
    # The reader paid, but every webhook was lost.
    client.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"plan": price_id}],
            "metadata": {"masthead_subscription": str(local.pk)},
        }
    )
    ended = client.v1.subscriptions.create(params={"customer": customer, "items": [{"plan": price_id}]})
    client.v1.subscriptions.cancel(ended.id)

    call_command("billing_reconcile")

    local.refresh_from_db()
    assert local.status == SubscriptionStatus.ACTIVE
    assert local.provider_customer_id == customer
    assert active_entitlements(user_id=reader.pk, now=local.current_period_end)
    # The second subscription, made outside our checkout for a known customer, is recorded as ended.
    other = Subscription.objects.get(provider_subscription_id=ended.id)
    assert other.status == SubscriptionStatus.EXPIRED


def test_cancel_from_the_account_asks_stripe_and_keeps_access_to_period_end(localstripe, reader, monthly):
    client, price_id = localstripe
    monthly.provider_price_id = price_id
    monthly.save()
    local = Subscription.objects.create(user=reader, plan=monthly, provider=Provider.STRIPE)
    customer = _paying_customer(client, reader.email)
    client.v1.subscriptions.create(
        params={
            "customer": customer,
            "items": [{"plan": price_id}],
            "metadata": {"masthead_subscription": str(local.pk)},
        }
    )
    call_command("billing_reconcile")
    local.refresh_from_db()

    cancel_at_period_end(subscription=local)

    local.refresh_from_db()
    assert (local.status, local.cancel_at_period_end) == (SubscriptionStatus.CANCELED, True)
    [paid] = active_entitlements(
        user_id=reader.pk, now=local.current_period_end - (local.current_period_end - local.started_at) / 2
    )
    assert paid.ends_at == local.current_period_end


def test_deleting_the_account_deletes_the_stripe_customer(localstripe, client, reader, monthly):
    stripe_client, _price = localstripe
    customer = _paying_customer(stripe_client, reader.email)
    Subscription.objects.create(
        user=reader,
        plan=monthly,
        provider=Provider.STRIPE,
        status=SubscriptionStatus.ACTIVE,
        provider_customer_id=customer,
    )
    client.force_login(reader)

    client.post("/account/delete/", {"password": "a-long-reader-password"})

    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.customers.retrieve(customer)
