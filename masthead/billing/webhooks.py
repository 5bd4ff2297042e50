"""Stripe webhooks: verify the signature on the raw body, de-duplicate, and hand the event to a service.

The view only translates HTTP; everything here runs in one transaction per event, so the
de-duplication row and the effect are committed together or not at all.

Poison input never reaches a 500. What cannot be Stripe's (a bad or non-ASCII signature, a body
that is not an event: no id, type or creation time, an id longer than any Stripe id, nesting too
deep or numbers too big to read) is refused (`BadSignature`, `UnreadableEvent`: 400) and nothing is
written. A signed event whose envelope is sound but whose object its handler cannot use is a
different case: the same bytes would fail on every retry, and Stripe disables endpoints that keep
failing, so its effect is rolled back, the event is recorded as ignored with the reason (staff see
it in the admin and can resend it from Stripe's dashboard once fixed) and answered 200.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from django.conf import settings
from django.db import DataError, IntegrityError, transaction

from masthead.billing.models import Provider, WebhookEvent
from masthead.billing.services import apply_stripe_snapshot, link_checkout_session, record_invoice
from masthead.billing.stripe_objects import InvoiceFacts, SubscriptionSnapshot

SIGNATURE_TOLERANCE_SECONDS = 300
# The columns of WebhookEvent: a longer id or type is no Stripe event (theirs are ~30 characters).
MAX_EVENT_ID = 120
MAX_EVENT_TYPE = 80
# Stripe's timestamps are seconds since 1970; this bound (year 9999) keeps datetime from overflowing.
MAX_CREATED = 253_402_300_799

log = logging.getLogger(__name__)

# What a handler raises on an object it cannot use: a missing key, a wrong type, a value out of
# range (a number too big for a date or a column), nesting too deep, a value the database refuses.
# Not IntegrityError (a duplicate delivery, decided below) nor an outage (OperationalError): those
# are no fault of the event, and Stripe's retry is what delivers it once we are back.
_UNUSABLE_OBJECT = (KeyError, TypeError, ValueError, OverflowError, RecursionError, AttributeError, DataError)


class BadSignature(Exception):
    """The body was not signed by Stripe with our secret (or is too old to trust)."""


class UnreadableEvent(Exception):
    """Signed, but not the envelope of a Stripe event: nothing to record it under."""


@dataclass(frozen=True)
class Envelope:
    event_id: str
    event_type: str
    created: datetime
    obj: dict[str, Any]


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


def _verify(*, payload: bytes, signature: str | None) -> None:
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise BadSignature("STRIPE_WEBHOOK_SECRET is not configured")
    if signature is not None and not signature.isascii():
        # Stripe's header is ASCII; the SDK's constant-time comparison raises TypeError on others.
        raise BadSignature("the Stripe-Signature header is not ASCII")
    try:
        stripe.WebhookSignature.verify_header(payload, signature, secret, SIGNATURE_TOLERANCE_SECONDS)
    except (stripe.SignatureVerificationError, ValueError) as exc:  # ValueError: body not UTF-8
        raise BadSignature(str(exc)) from exc


def _is_stripe_word(value: Any, longest: int) -> TypeGuard[str]:
    # Stripe's ids and types are short printable ASCII ("evt_1Q…", "invoice.paid"); anything else
    # (a NUL PostgreSQL refuses, a megabyte id) is no event of theirs and would not fit the row.
    return isinstance(value, str) and 0 < len(value) <= longest and value.isascii() and value.isprintable()


def _envelope(payload: bytes) -> Envelope:
    """Read the event's own fields, refusing anything no Stripe event looks like."""
    try:
        event = json.loads(payload)
    except (ValueError, RecursionError) as exc:  # ValueError: not JSON, or an int of 4,300+ digits
        raise UnreadableEvent(f"not JSON we can read: {type(exc).__name__}") from exc
    if not isinstance(event, dict):
        raise UnreadableEvent("not a JSON object")
    event_id, event_type, created = event.get("id"), event.get("type"), event.get("created")
    data = event.get("data")
    if not _is_stripe_word(event_id, MAX_EVENT_ID):
        raise UnreadableEvent(f"no event id of 1 to {MAX_EVENT_ID} printable ASCII characters")
    if not _is_stripe_word(event_type, MAX_EVENT_TYPE):
        raise UnreadableEvent(f"no event type of 1 to {MAX_EVENT_TYPE} printable ASCII characters")
    if isinstance(created, bool) or not isinstance(created, int) or not 0 <= created <= MAX_CREATED:
        raise UnreadableEvent("no creation time in seconds")
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise UnreadableEvent("no data.object")
    return Envelope(
        event_id=event_id,
        event_type=event_type,
        created=datetime.fromtimestamp(created, tz=UTC),
        obj=data["object"],
    )


def receive_stripe_event(*, payload: bytes, signature: str | None) -> WebhookResult:
    _verify(payload=payload, signature=signature)
    try:
        envelope = _envelope(payload)
    except UnreadableEvent as exc:
        log.warning("Signed Stripe webhook refused: %s", exc)
        raise
    handler = HANDLERS.get(envelope.event_type)
    try:
        try:
            with transaction.atomic():
                record = _record(envelope)
                outcome = handler(envelope.obj, envelope.created) if handler else "ignored: not handled"
                record.outcome = outcome[:200]
                record.save(update_fields=["outcome"])
        except _UNUSABLE_OBJECT as exc:
            # Rolled back whole; recorded once, so a retry of the same bytes is a duplicate.
            outcome = f"ignored: unusable {envelope.event_type} object ({type(exc).__name__})"
            log.warning("Stripe event %s %s", envelope.event_id, outcome, exc_info=True)
            with transaction.atomic():
                record = _record(envelope)
                record.outcome = outcome[:200]
                record.save(update_fields=["outcome"])
    except IntegrityError:
        if WebhookEvent.objects.filter(event_id=envelope.event_id).exists():
            return WebhookResult(event_id=envelope.event_id, duplicate=True, outcome="duplicate")
        raise
    return WebhookResult(event_id=envelope.event_id, duplicate=False, outcome=outcome)


def _record(envelope: Envelope) -> WebhookEvent:
    return WebhookEvent.objects.create(
        provider=Provider.STRIPE,
        event_id=envelope.event_id,
        event_type=envelope.event_type,
        created=envelope.created,
    )
