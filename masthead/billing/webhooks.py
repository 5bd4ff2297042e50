"""Stripe webhooks: verify the signature on the raw body, de-duplicate, and hand the event to a service.

The view only translates HTTP; everything here runs in one transaction per event, so the
de-duplication row and the effect are committed together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.billing.models import Provider, WebhookEvent
from masthead.billing.services import apply_stripe_snapshot, link_checkout_session, record_invoice
from masthead.billing.stripe_objects import InvoiceFacts, SubscriptionSnapshot, timestamp

SIGNATURE_TOLERANCE_SECONDS = 300


class BadSignature(Exception):
    """The body was not signed by Stripe with our secret (or is too old to trust)."""


@dataclass(frozen=True)
class WebhookResult:
    event_id: str
    duplicate: bool
    outcome: str


Handler = Callable[[dict[str, Any], datetime], str]


def _subscription_changed(obj: dict[str, Any], created: datetime) -> str:
    return apply_stripe_snapshot(snapshot=SubscriptionSnapshot.from_stripe(obj), observed_at=created)


def _checkout_completed(obj: dict[str, Any], created: datetime) -> str:
    if obj.get("mode") != "subscription":
        return "ignored: not a subscription checkout"
    return link_checkout_session(session=obj, observed_at=created)


def _invoice_paid(obj: dict[str, Any], created: datetime) -> str:
    return record_invoice(invoice=InvoiceFacts.from_stripe(obj, paid=True), paid=True, occurred_at=created)


def _invoice_failed(obj: dict[str, Any], created: datetime) -> str:
    return record_invoice(invoice=InvoiceFacts.from_stripe(obj, paid=False), paid=False, occurred_at=created)


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": _checkout_completed,
    "customer.subscription.created": _subscription_changed,
    "customer.subscription.updated": _subscription_changed,
    "customer.subscription.deleted": _subscription_changed,
    "customer.subscription.paused": _subscription_changed,
    "customer.subscription.resumed": _subscription_changed,
    "invoice.paid": _invoice_paid,
    "invoice.payment_failed": _invoice_failed,
}


def receive_stripe_event(*, payload: bytes, signature: str | None) -> WebhookResult:
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BadSignature("STRIPE_WEBHOOK_SECRET is not configured")
    try:
        stripe.Webhook.construct_event(payload, signature, secret, tolerance=SIGNATURE_TOLERANCE_SECONDS)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise BadSignature(str(exc)) from exc
    event: dict[str, Any] = json.loads(payload)
    event_id, event_type = str(event["id"]), str(event["type"])
    created = timestamp(event["created"])
    assert created is not None
    handler = HANDLERS.get(event_type)
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                provider=Provider.STRIPE, event_id=event_id, event_type=event_type, created=created
            )
            outcome = handler(event["data"]["object"], created) if handler else "ignored: not handled"
            record.outcome = outcome[:200]
            record.save(update_fields=["outcome"])
    except IntegrityError:
        if WebhookEvent.objects.filter(event_id=event_id).exists():
            return WebhookResult(event_id=event_id, duplicate=True, outcome="duplicate")
        raise
    return WebhookResult(event_id=event_id, duplicate=False, outcome=outcome)
