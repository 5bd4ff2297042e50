"""The newsroom scheduler's analytics jobs: roll up closed days, sweep abandoned checkouts, prune."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from masthead.analytics import recorder, rollup, tracking
from masthead.analytics.models import Event, Kind

ABANDONED_AFTER = timedelta(hours=24)


def sweep_abandoned_checkouts(*, now: datetime | None = None) -> str:
    """A checkout still incomplete a day after it started is abandoned (recorded once)."""
    from masthead.billing.models import Subscription, SubscriptionStatus

    now = now or timezone.now()
    stale = Subscription.objects.filter(
        status=SubscriptionStatus.INCOMPLETE, created_at__lt=now - ABANDONED_AFTER
    ).values_list("pk", "user_id", "created_at", "plan_id", "offer_id")
    known = set(
        Event.objects.filter(kind=Kind.CHECKOUT_ABANDONED, subscription_id__isnull=False).values_list(
            "subscription_id", flat=True
        )
    )
    events = [
        tracking.conversion(
            Kind.CHECKOUT_ABANDONED,
            account_id=user_id,
            at=created_at + ABANDONED_AFTER,
            subscription_id=pk,
            plan_id=plan_id,
            offer_id=offer_id,
        )
        for pk, user_id, created_at, plan_id, offer_id in stale
        if pk not in known
    ]
    recorder.submit(events)
    recorder.flush()
    return f"Recorded {len(events)} abandoned checkout(s)"


def roll_up_and_warm(*, now: datetime | None = None) -> str:
    """Roll up, then work out the dashboard's default view (the last 30 days, by article) so the
    first publisher to open it after the closed days changed does not wait for the sums; a view
    already kept costs one small query."""
    from masthead.analytics.funnel import page_slices

    summary = rollup.roll_up(now=now)
    today = (now or timezone.now()).astimezone(rollup.zone()).date()
    page_slices(today - timedelta(days=29), today, "article")
    return summary


def register_jobs() -> None:
    from masthead.schedule.jobs import DAY, MINUTE, Job, register

    register(Job(name="analytics_rollup", label="Analytics rollup", every=10 * MINUTE, run=roll_up_and_warm))
    register(
        Job(
            name="analytics_abandoned",
            label="Abandoned checkouts",
            every=60 * MINUTE,
            run=sweep_abandoned_checkouts,
        )
    )
    register(Job(name="analytics_prune", label="Analytics retention", every=DAY, run=rollup.prune))
