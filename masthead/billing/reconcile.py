"""Bring local subscriptions in line with Stripe (after missed or failed webhooks)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from masthead.billing.models import Provider, Subscription
from masthead.billing.providers.stripe import StripeProvider
from masthead.billing.services import apply_stripe_snapshot


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
