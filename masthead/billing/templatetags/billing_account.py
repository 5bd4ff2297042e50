"""The account page's billing parts that the accounts app does not need to know about."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.billing.models import PaymentRecord, Provider, Subscription
from masthead.billing.selectors import duplicate_payments_of
from masthead.billing.terms import payment_line, reader_payments, subscription_terms

register = template.Library()


@register.inclusion_tag("billing/account_duplicates.html")
def duplicate_payments(user: Any) -> dict[str, Any]:
    """Second subscriptions we canceled for this reader, and the refunds."""
    if not getattr(user, "is_authenticated", False):
        return {"duplicates": []}
    return {"duplicates": duplicate_payments_of(user_id=user.pk)}


@register.inclusion_tag("billing/terms.html")
def taken_terms(subscription: Subscription | None, *, with_payment: bool = False) -> dict[str, Any]:
    """What the reader took: the offer, its introductory price and for how long, the regular
    price and the date it starts, the next payment; on the welcome page, the payment just taken."""
    if subscription is None or subscription.status == "incomplete":
        return {"terms": None}
    payment = None
    if with_payment:
        latest = PaymentRecord.objects.filter(subscription=subscription).order_by("-occurred_at", "-pk")
        record = latest.first()
        payment = payment_line(record) if record is not None else None
    return {
        "terms": subscription_terms(subscription),
        "charged": subscription.provider != Provider.MANUAL,
        "payment": payment,
    }


@register.inclusion_tag("billing/payments.html")
def payments(user: Any) -> dict[str, Any]:
    """Every payment of this reader: date, what it was for, amount, paid / failed / refunded."""
    if not getattr(user, "is_authenticated", False):
        return {"payments": []}
    return {"payments": reader_payments(user_id=user.pk)}
