"""A reader's data: export it, or delete the account.

Deletion removes the profile, entitlements, subscriptions and meter reads, asks the payment
provider to delete its customer, and keeps payment records only as bookkeeping law requires,
with the reader link and e-mail removed.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from masthead.access.models import Entitlement
from masthead.accounts.models import User
from masthead.billing.models import DuplicatePayment, PaymentRecord, Subscription
from masthead.billing.providers.base import CheckoutUnavailable, get_provider
from masthead.billing.terms import (
    PaymentLine,
    publication_zone,
    reader_payments,
    subscription_terms,
    terms_facts,
)

logger = logging.getLogger(__name__)


def reads_this_period(*, user_id: int, now: datetime | None = None) -> int | None:
    """Metered articles counted this period, from the paywall's meter; None if it cannot say."""
    from masthead.access.identity import ReaderIdentity
    from masthead.access.meter import MeterStoreUnavailable
    from masthead.access.reading import reads_this_period as meter_reads

    reader_key = ReaderIdentity(user_id=user_id).reader_key
    assert reader_key is not None
    try:
        _, count = meter_reads(reader_key=reader_key, now=now or timezone.now())
    except MeterStoreUnavailable:
        return None
    return count


def _meter_reads(user_id: int) -> Any:
    try:
        from masthead.access.models import MeterRead
    except ImportError:
        return None
    return MeterRead.objects.filter(reader_key=f"u:{user_id}")


def export_reader_data(*, user: User) -> dict[str, Any]:
    reads = _meter_reads(user.pk)
    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "newsletter_opt_in": user.newsletter_opt_in,
            "billing_emails": user.billing_emails,
            "language": user.language,
        },
        "subscriptions": [
            _subscription_export(s)
            for s in Subscription.objects.filter(user=user).started().select_related("plan", "offer")
        ],
        "entitlements": [
            {
                "kind": e.kind,
                "starts_at": e.starts_at.isoformat(),
                "ends_at": e.ends_at.isoformat() if e.ends_at else None,
            }
            for e in Entitlement.objects.filter(user=user)
        ],
        "payments": [_payment_export(line) for line in reader_payments(user_id=user.pk)],
        "refunded_duplicates": [
            {
                "outcome": d.outcome,
                "refunded_minor": d.refunded_minor,
                "currency": d.currency,
                "date": d.detected_at.isoformat(),
            }
            for d in DuplicatePayment.objects.filter(user=user)
        ],
        "reads": (
            [
                {"article_id": r.article_id, "period": r.period_key, "read_at": r.read_at}
                for r in reads.order_by("read_at")
            ]
            if reads is not None
            else []
        ),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _subscription_export(subscription: Subscription) -> dict[str, Any]:
    """The subscription, and the terms the reader took it on, in figures and in words."""
    terms = subscription_terms(subscription)
    facts = terms_facts(subscription, zone=publication_zone())
    return {
        **subscription.as_dict(),
        "terms": {
            "offer": terms.offer_headline,
            "intro_price": (
                {"amount_minor": facts.intro_price_minor, "currency": facts.currency}
                if facts.has_intro
                else None
            ),
            "intro_intervals": facts.intro_intervals if facts.has_intro else 0,
            "intro_price_text": terms.intro_price_text,
            "intro_ends_at": _iso(terms.intro_ends_at),
            "regular_price": {"amount_minor": facts.price_minor, "currency": facts.currency},
            "interval": facts.interval,
            "regular_price_text": terms.regular_price_text,
            "next_charge_at": _iso(terms.next_charge_at),
            "next_charge_text": terms.next_charge_text,
        },
    }


def _payment_export(line: PaymentLine) -> dict[str, Any]:
    return {
        "invoice": line.reference,
        "date": line.occurred_at.isoformat(),
        "amount_minor": line.amount_minor,
        "currency": line.currency,
        "amount_text": line.amount_text,
        "for": line.description,
        "introductory_price": line.intro,
        "period_start": _iso(line.period_start),
        "period_end": _iso(line.period_end),
        "status": line.status,
        "paid": line.status in ("paid", "refunded"),
        "refunded": line.refunded,
    }


def delete_reader_account(*, user: User) -> None:
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    customers = {
        (s.provider, s.provider_customer_id)
        for s in Subscription.objects.filter(user=user).exclude(provider_customer_id="")
    }
    with transaction.atomic():
        PaymentRecord.objects.filter(user=user).update(user=None, subscription=None, customer_email="")
        DuplicatePayment.objects.filter(user=user).update(user=None, customer_email="")
        reads = _meter_reads(user.pk)
        if reads is not None:
            reads.delete()
        # Entitlements and subscriptions go with the user (on_delete=CASCADE).
        user.delete()
    for provider_name, customer_id in customers:
        try:
            get_provider(provider_name).forget_customer(customer_id=customer_id)
        except (stripe.StripeError, CheckoutUnavailable):
            # The account is gone either way; staff finish the provider side from the log.
            logger.exception("Could not delete payment customer %s at %s", customer_id, provider_name)
