"""Reading Stripe's JSON into plain facts. Pure: no network, no database.

Stripe moved `current_period_end` from the subscription onto its items (API 2025-03-31) and the
invoice's subscription under `parent.subscription_details`; both shapes are read so recorded
events, localstripe (older shapes) and live Stripe all work.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from masthead.billing.models import SubscriptionStatus

# Our id in the Stripe subscription's metadata, set at checkout, so events find the local row even
# when `checkout.session.completed` has not arrived yet.
LOCAL_REF_KEY = "masthead_subscription"

_STATUS = {
    "trialing": SubscriptionStatus.TRIALING,
    "active": SubscriptionStatus.ACTIVE,
    "past_due": SubscriptionStatus.PAST_DUE,
    "unpaid": SubscriptionStatus.PAST_DUE,
    "canceled": SubscriptionStatus.EXPIRED,
    "incomplete_expired": SubscriptionStatus.EXPIRED,
    "incomplete": SubscriptionStatus.INCOMPLETE,
    # Paused: a trial ended without a payment method. No access until it resumes.
    "paused": SubscriptionStatus.INCOMPLETE,
}


def timestamp(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    return datetime.fromtimestamp(int(value), tz=UTC)


def _id(value: Any) -> str:
    """A Stripe reference is either an id string or an expanded object."""
    if isinstance(value, Mapping):
        return str(value.get("id") or "")
    return str(value or "")


@dataclass(frozen=True)
class SubscriptionSnapshot:
    id: str
    customer: str
    stripe_status: str
    cancel_at_period_end: bool
    start_date: datetime | None
    trial_end: datetime | None
    current_period_end: datetime | None
    ended_at: datetime | None
    price_id: str
    local_ref: str
    # When the offer's coupon stops applying, if Stripe says (`discount.end`, or an expanded
    # `discounts` entry): the moment the regular price starts.
    discount_end: datetime | None = None

    @property
    def status(self) -> str:
        our = _STATUS.get(self.stripe_status, SubscriptionStatus.INCOMPLETE)
        if self.cancel_at_period_end and our in (SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING):
            return SubscriptionStatus.CANCELED
        return our

    @property
    def terminal(self) -> bool:
        return self.status == SubscriptionStatus.EXPIRED

    @classmethod
    def from_stripe(cls, data: Mapping[str, Any]) -> SubscriptionSnapshot:
        items = (data.get("items") or {}).get("data") or []
        first = items[0] if items else {}
        price = first.get("price") or first.get("plan") or data.get("plan") or {}
        period_end = first.get("current_period_end") or data.get("current_period_end")
        metadata = data.get("metadata") or {}
        return cls(
            id=str(data["id"]),
            customer=_id(data.get("customer")),
            stripe_status=str(data.get("status") or "incomplete"),
            cancel_at_period_end=bool(data.get("cancel_at_period_end")),
            start_date=timestamp(data.get("start_date") or data.get("created")),
            trial_end=timestamp(data.get("trial_end")),
            current_period_end=timestamp(period_end),
            ended_at=timestamp(data.get("ended_at")),
            price_id=_id(price),
            local_ref=str(metadata.get(LOCAL_REF_KEY) or ""),
            discount_end=_discount_end(data),
        )


def _discount_end(data: Mapping[str, Any]) -> datetime | None:
    discounts = [data.get("discount"), *(data.get("discounts") or [])]
    ends = [timestamp(d.get("end")) for d in discounts if isinstance(d, Mapping) and d.get("end")]
    return min((end for end in ends if end is not None), default=None)


@dataclass(frozen=True)
class InvoiceFacts:
    id: str
    customer: str
    subscription_id: str
    amount_minor: int
    currency: str
    customer_email: str
    description: str
    period_start: datetime | None = None
    period_end: datetime | None = None
    # A coupon took something off: a payment at the introductory price.
    discounted: bool = False

    @classmethod
    def from_stripe(cls, data: Mapping[str, Any], *, paid: bool) -> InvoiceFacts:
        parent = (data.get("parent") or {}).get("subscription_details") or {}
        subscription = parent.get("subscription") or data.get("subscription")
        amount = data.get("amount_paid") if paid else data.get("amount_due")
        lines = (data.get("lines") or {}).get("data") or []
        first = lines[0] if lines else {}
        description = str(first.get("description") or data.get("description") or "")
        # The subscription line's period is the period paid for; the invoice's own period_start
        # and period_end are the previous one for a renewal.
        period = first.get("period") or {}
        return cls(
            id=str(data["id"]),
            customer=_id(data.get("customer")),
            subscription_id=_id(subscription),
            amount_minor=int(amount or 0),
            currency=str(data.get("currency") or "usd").upper(),
            customer_email=str(data.get("customer_email") or ""),
            description=description[:200],
            period_start=timestamp(period.get("start")),
            period_end=timestamp(period.get("end")),
            discounted=_discounted(data),
        )


def _discounted(data: Mapping[str, Any]) -> bool:
    amounts = data.get("total_discount_amounts") or []
    if any(isinstance(a, Mapping) and int(a.get("amount") or 0) > 0 for a in amounts):
        return True
    return bool(data.get("discount")) or bool(data.get("discounts"))
