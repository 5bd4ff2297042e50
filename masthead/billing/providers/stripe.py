"""Stripe: Checkout in subscription mode, the Billing Portal, and the subscription API.

Card data never touches our servers. Prices come only from our catalogue (`Plan.provider_price_id`,
`Offer.provider_coupon_id`); nothing the reader's browser sends reaches these calls.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings

from masthead.billing.providers.base import CheckoutUnavailable
from masthead.billing.selectors import is_new_subscriber
from masthead.billing.stripe_objects import LOCAL_REF_KEY, SubscriptionSnapshot

if TYPE_CHECKING:
    from masthead.billing.models import Subscription

logger = logging.getLogger(__name__)

# Pinned so a Stripe account upgrade never changes the shapes we parse. It is the version the
# installed SDK (stripe==16.1.0) is generated for.
STRIPE_API_VERSION = "2026-10-28.endive"
stripe.api_version = STRIPE_API_VERSION

# Tests swap the transport (a recorded-response client); production uses the SDK's default.
_http_client: stripe.HTTPClient | None = None


def use_http_client(client: stripe.HTTPClient | None) -> None:
    global _http_client
    _http_client = client


def stripe_client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise CheckoutUnavailable("Stripe is not configured (STRIPE_SECRET_KEY is empty).")
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        stripe_version=STRIPE_API_VERSION,
        base_addresses={"api": base} if base else None,
        http_client=_http_client,
        max_network_retries=2,
    )


def checkout_params(*, subscription: Subscription, success_url: str, cancel_url: str) -> dict[str, Any]:
    plan = subscription.plan
    if not plan.provider_price_id:
        raise CheckoutUnavailable(f"Plan {plan.pk} has no Stripe price id.")
    params: dict[str, Any] = {
        "mode": "subscription",
        "line_items": [{"price": plan.provider_price_id, "quantity": 1}],
        "success_url": success_url,
        "cancel_url": cancel_url,
        "client_reference_id": str(subscription.pk),
        "subscription_data": {"metadata": {LOCAL_REF_KEY: str(subscription.pk)}},
        "metadata": {LOCAL_REF_KEY: str(subscription.pk)},
    }
    if subscription.provider_customer_id:
        params["customer"] = subscription.provider_customer_id
    else:
        params["customer_email"] = subscription.user.email
    if subscription.offer is not None:
        if not subscription.offer.provider_coupon_id:
            raise CheckoutUnavailable(f"Offer {subscription.offer.pk} has no Stripe coupon id.")
        params["discounts"] = [{"coupon": subscription.offer.provider_coupon_id}]
    elif plan.trial_days and is_new_subscriber(user_id=subscription.user_id, excluding=subscription.pk):
        params["subscription_data"]["trial_period_days"] = plan.trial_days
    return params


class StripeProvider:
    name = "stripe"

    def start_checkout(self, *, subscription: Subscription, success_url: str, cancel_url: str) -> str:
        params = checkout_params(subscription=subscription, success_url=success_url, cancel_url=cancel_url)
        # One key per local checkout attempt: a double click or a retry returns the same session.
        key = f"masthead-checkout-{subscription.pk}-{int(subscription.created_at.timestamp())}"
        session = stripe_client().v1.checkout.sessions.create(
            params=params,  # type: ignore[arg-type]
            options={"idempotency_key": key},
        )
        subscription.provider_checkout_id = str(session.id)
        subscription.save(update_fields=["provider_checkout_id", "updated_at"])
        return str(session.url)

    def retrieve_checkout(self, *, session_id: str) -> dict[str, Any]:
        session = stripe_client().v1.checkout.sessions.retrieve(
            session_id, params={"expand": ["subscription"]}
        )
        return session.to_dict(recursive=True)

    def retrieve_subscription(self, *, subscription_id: str) -> SubscriptionSnapshot:
        found = stripe_client().v1.subscriptions.retrieve(subscription_id)
        return SubscriptionSnapshot.from_stripe(found.to_dict(recursive=True))

    def list_subscriptions(self) -> list[SubscriptionSnapshot]:
        listing = stripe_client().v1.subscriptions.list(params={"status": "all", "limit": 100})
        return [
            SubscriptionSnapshot.from_stripe(item.to_dict(recursive=True))
            for item in listing.auto_paging_iter()
        ]

    def manage_url(self, *, subscription: Subscription, return_url: str) -> str | None:
        if not subscription.provider_customer_id:
            return None
        portal = stripe_client().v1.billing_portal.sessions.create(
            params={"customer": subscription.provider_customer_id, "return_url": return_url}
        )
        return str(portal.url)

    def set_cancel_at_period_end(self, *, subscription: Subscription, cancel: bool) -> None:
        from masthead.billing.services import apply_stripe_snapshot

        updated = stripe_client().v1.subscriptions.update(
            subscription.provider_subscription_id, params={"cancel_at_period_end": cancel}
        )
        snapshot = SubscriptionSnapshot.from_stripe(updated.to_dict(recursive=True))
        apply_stripe_snapshot(snapshot=snapshot, observed_at=None)

    def forget_customer(self, *, customer_id: str) -> None:
        # Deleting the customer also cancels its subscriptions at once in Stripe.
        stripe_client().v1.customers.delete(customer_id)
