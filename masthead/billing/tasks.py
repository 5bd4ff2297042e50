"""Background work on the "worker" queue (run `manage.py db_worker --backend worker`).

Nothing here decides access: the entitlement end dates already stop access on time. These send
e-mails and tidy statuses."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from masthead.billing.duplicates import settle_pending_duplicates
from masthead.billing.models import DuplicatePayment, Provider, Subscription, SubscriptionStatus
from masthead.billing.notifications import (
    candidates,
    send_due_notifications,
    send_duplicate_notice,
    send_receipts,
    unreceipted_payments,
)
from masthead.billing.services import tidy_subscription


@task(backend="worker")
def notify_subscription(subscription_id: int) -> list[str]:
    subscription = Subscription.objects.select_related("user", "plan").filter(pk=subscription_id).first()
    if subscription is None:
        return []
    return send_due_notifications(subscription=subscription)


@task(backend="worker")
def notify_duplicate(duplicate_id: int) -> str | None:
    duplicate = DuplicatePayment.objects.select_related("user").filter(pk=duplicate_id).first()
    if duplicate is None:
        return None
    return send_duplicate_notice(duplicate=duplicate)


@task(backend="worker")
def billing_sweep() -> dict[str, Any]:
    """Run every few minutes from cron (`manage.py billing_sweep`): tidy, then send what is due."""
    now = timezone.now()
    tidied = 0
    overdue = Subscription.objects.filter(
        ~Q(provider=Provider.STRIPE),
        current_period_end__lte=now,
        status__in=[
            SubscriptionStatus.TRIALING,
            SubscriptionStatus.ACTIVE,
            SubscriptionStatus.CANCELED,
            SubscriptionStatus.PAST_DUE,
        ],
    ).select_related("plan", "user")
    for subscription in overdue:
        tidied += int(tidy_subscription(subscription=subscription, now=now))
    sent: list[str] = []
    for subscription in candidates(now=now):
        sent.extend(send_due_notifications(subscription=subscription, now=now))
    # Receipts for payments whose subscription had nothing else due (renewals, late invoices).
    sent.extend(send_receipts(payments=unreceipted_payments(now=now), now=now))
    # Duplicates whose cancel-and-refund failed right after they were found are retried here.
    refunded = settle_pending_duplicates()
    return {"tidied": tidied, "sent": len(sent), "duplicates_settled": refunded}
