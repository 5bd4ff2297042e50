"""Bring local subscriptions in line with Stripe (after missed or failed webhooks)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from masthead.billing.models import CURRENT_STATUSES, Plan, Provider, Subscription, SubscriptionStatus
from masthead.billing.providers.stripe import StripeProvider
from masthead.billing.services import apply_stripe_snapshot

if TYPE_CHECKING:
    from masthead.accounts.models import User


@dataclass
class ReconcileReport:
    checked: int = 0
    changed: int = 0
    unknown: int = 0
    lines: list[str] = field(default_factory=list)


def _state(subscription: Subscription | None) -> tuple[object, ...]:
    if subscription is None:
        return ()
    return (
        subscription.status,
        subscription.current_period_end,
        subscription.trial_end,
        subscription.cancel_at_period_end,
        subscription.ended_at,
    )


def reconcile_from_stripe(*, provider: StripeProvider | None = None) -> ReconcileReport:
    provider = provider or StripeProvider()
    report = ReconcileReport()
    for snapshot in provider.list_subscriptions():
        report.checked += 1
        local = Subscription.objects.filter(provider=Provider.STRIPE, provider_subscription_id=snapshot.id)
        before = _state(local.first())
        # What Stripe says now is newer than any event we may have missed.
        outcome = apply_stripe_snapshot(snapshot=snapshot, observed_at=timezone.now())
        if outcome == "unknown subscription":
            report.unknown += 1
            report.lines.append(f"{snapshot.id}: no local subscription (customer {snapshot.customer})")
            continue
        after = _state(
            Subscription.objects.filter(
                provider=Provider.STRIPE, provider_subscription_id=snapshot.id
            ).first()
        )
        if after != before:
            report.changed += 1
            report.lines.append(f"{snapshot.id}: {outcome}")
    return report


@dataclass
class CustomerLink:
    """What linking one existing Stripe customer to a reader found."""

    customer: str
    current: list[Subscription] = field(default_factory=list)  # giving access now
    lines: list[str] = field(default_factory=list)


def link_stripe_customer(
    *, user: User, customer_id: str, provider: StripeProvider | None = None
) -> CustomerLink:
    """Adopt the subscriptions an existing Stripe customer already pays (a reader moving in from
    another site): each becomes a local subscription and goes through the same snapshot path as
    the reconcile, so access follows what Stripe says. Nothing is created in Stripe and nothing
    is charged. A price that is not in our catalogue is reported, not guessed.
    """
    provider = provider or StripeProvider()
    link = CustomerLink(customer=customer_id)
    for snapshot in provider.list_customer_subscriptions(customer_id=customer_id):
        plan = Plan.objects.filter(provider_price_id=snapshot.price_id).first() if snapshot.price_id else None
        local = Subscription.objects.filter(
            provider=Provider.STRIPE, provider_subscription_id=snapshot.id
        ).first()
        if local is None and plan is None:
            link.lines.append(f"{snapshot.id}: price {snapshot.price_id or '?'} is not one of our plans")
            continue
        if local is not None and local.user_id != user.pk:
            link.lines.append(f"{snapshot.id}: already belongs to another reader")
            continue
        if local is None and snapshot.terminal:
            link.lines.append(f"{snapshot.id}: ended in Stripe ({snapshot.stripe_status})")
            continue
        with transaction.atomic():
            if local is None and plan is not None:
                now = timezone.now()
                Subscription.objects.create(
                    user=user,
                    plan=plan,
                    provider=Provider.STRIPE,
                    provider_customer_id=customer_id,
                    provider_subscription_id=snapshot.id,
                    price_minor=plan.price_minor,
                    currency=plan.currency,
                    interval=plan.interval,
                    # They were welcomed by the old site; no "welcome" e-mail for moving house.
                    welcome_sent_at=now,
                    note="Linked from an existing Stripe customer (import).",
                )
            outcome = apply_stripe_snapshot(snapshot=snapshot, observed_at=timezone.now())
        link.lines.append(f"{snapshot.id}: {outcome}")
        row = Subscription.objects.get(provider=Provider.STRIPE, provider_subscription_id=snapshot.id)
        if row.status in CURRENT_STATUSES or row.status == SubscriptionStatus.CANCELED:
            link.current.append(row)
    return link
