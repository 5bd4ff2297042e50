"""Stripe: Checkout in subscription mode, the Billing Portal, and the subscription API.

Card data never touches our servers. Prices come only from our catalogue (`Plan.provider_price_id`,
`Offer.provider_coupon_id`); nothing the reader's browser sends reaches these calls.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import stripe
from django.conf import settings

from masthead.billing.providers.base import CheckoutUnavailable, RefundReceipt
from masthead.billing.selectors import is_new_subscriber
from masthead.billing.stripe_objects import LOCAL_REF_KEY, SubscriptionSnapshot

if TYPE_CHECKING:
    from masthead.billing.models import DuplicatePayment, Subscription

logger = logging.getLogger(__name__)

# Pinned so a Stripe account upgrade never changes the shapes we parse. It is the version the
# installed SDK (stripe==16.1.0) is generated for.
STRIPE_API_VERSION = "2026-10-28.endive"
stripe.api_version = STRIPE_API_VERSION

# Our id on every refund of a duplicate, so a retry after Stripe forgot the idempotency key (24 h)
# still finds the refund it made instead of trying a second one.
DUPLICATE_REF_KEY = "masthead_duplicate"
_ENDED = frozenset({"canceled", "incomplete_expired"})

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

    def list_customer_subscriptions(self, *, customer_id: str) -> list[SubscriptionSnapshot]:
        """The subscriptions of one customer (read only: nothing is created or charged)."""
        listing = stripe_client().v1.subscriptions.list(
            params={"customer": customer_id, "status": "all", "limit": 100}
        )
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

    def refund_duplicate(self, *, duplicate: DuplicatePayment) -> RefundReceipt:
        client = stripe_client()
        subscription_id = duplicate.provider_subscription_id
        if not subscription_id:
            raise CheckoutUnavailable(f"Duplicate {duplicate.pk} has no Stripe subscription id.")
        # Cancel now (no proration, no final invoice) so it never charges again.
        if client.v1.subscriptions.retrieve(subscription_id).status not in _ENDED:
            client.v1.subscriptions.cancel(subscription_id)
        refunds: list[str] = []
        total = 0
        currency = duplicate.currency
        invoices = client.v1.invoices.list(params={"subscription": subscription_id, "limit": 100})
        for invoice in invoices.auto_paging_iter():
            data = invoice.to_dict(recursive=True)
            if data.get("status") != "paid" or not data.get("amount_paid"):
                continue  # a trial's $0 invoice, or one never paid: nothing to give back
            for target in _payments_of(client, data):
                refund = _refund_once(client, target=target, duplicate=duplicate, invoice_id=str(data["id"]))
                refunds.append(str(refund["id"]))
                total += int(refund.get("amount") or 0)
                currency = str(refund.get("currency") or data.get("currency") or currency).upper()
        return RefundReceipt(amount_minor=total, currency=currency, refund_ids=tuple(refunds))


def _payments_of(client: stripe.StripeClient, invoice: dict[str, Any]) -> list[dict[str, str]]:
    """How a paid invoice was paid: `payment_intent`/`charge` on older API shapes (and
    localstripe), the invoice's payments list on current ones (API 2025-03-31 and later)."""
    for key in ("payment_intent", "charge"):
        value = invoice.get(key)
        ref = str(value.get("id") if isinstance(value, dict) else value or "")
        if ref:
            return [{key: ref}]
    found: list[dict[str, str]] = []
    listing = client.v1.invoice_payments.list(params={"invoice": str(invoice["id"]), "limit": 100})
    for payment in listing.auto_paging_iter():
        data = payment.to_dict(recursive=True)
        if data.get("status") != "paid":
            continue
        inner = data.get("payment") or {}
        kind = str(inner.get("type") or "")
        value = inner.get(kind)
        paid_by = str((value.get("id") if isinstance(value, dict) else value) or "")
        if kind in ("payment_intent", "charge") and paid_by:
            found.append({kind: paid_by})
    return found


def _refund_once(
    client: stripe.StripeClient, *, target: dict[str, str], duplicate: DuplicatePayment, invoice_id: str
) -> dict[str, Any]:
    ours = str(duplicate.pk)
    listing: dict[str, Any] = {**target, "limit": 100}
    for refund in client.v1.refunds.list(params=listing).auto_paging_iter():  # type: ignore[arg-type]
        found = refund.to_dict(recursive=True)
        if (found.get("metadata") or {}).get(DUPLICATE_REF_KEY) == ours:
            return found
    params: dict[str, Any] = {
        **target,
        "reason": "duplicate",
        "metadata": {DUPLICATE_REF_KEY: ours, "invoice": invoice_id},
    }
    created = client.v1.refunds.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": f"masthead-duplicate-{duplicate.pk}-{invoice_id}"},
    )
    return created.to_dict(recursive=True)
