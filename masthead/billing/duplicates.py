"""One current subscription per reader.

"You already have a subscription" and the new-subscriber rules are checked when a checkout starts,
but a reader can start several checkouts before completing any. So the moment a subscription would
become current — the Stripe success page, a `customer.subscription.*` webhook, reconcile, the demo
provider's completion — asks `refusal_for` again, with the reader's row locked, in the same
transaction that would make it current. The first completion we learn of is kept; any later one is
refused: ended here at once (it never gives access, and a second trial is never granted), recorded as
a `DuplicatePayment`, then canceled and refunded through its provider by `settle_duplicate` once that
transaction has committed. The database constraint `billing_one_current_subscription_per_reader`
backs all of this up.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from masthead.accounts.models import User
from masthead.billing.models import (
    DuplicateOutcome,
    DuplicatePayment,
    Eligibility,
    PaymentRecord,
    RefusedReason,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.providers.base import get_provider
from masthead.billing.selectors import is_new_subscriber

logger = logging.getLogger(__name__)

# After this many failed attempts the sweep stops retrying and the row waits for staff.
MAX_SETTLE_ATTEMPTS = 5


def lock_reader(*, user_id: int) -> None:
    """Serialise every completion for one reader. PostgreSQL: a row lock on the user until the
    transaction ends. SQLite: its transactions are IMMEDIATE here, so they already run one at a time."""
    list(User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True))


def refusal_for(*, subscription: Subscription, with_trial: bool, first_start: bool = True) -> str:
    """Why `subscription` may not become current now ("" when it may). Call with the reader locked.

    Trial and offer eligibility are judged only when it first starts: one that was already
    current (e.g. paused by Stripe, then resumed) is not asked again about its own trial."""
    others = Subscription.objects.filter(user_id=subscription.user_id).current().exclude(pk=subscription.pk)
    if others.exists():
        return RefusedReason.ALREADY_SUBSCRIBED
    if not first_start:
        return RefusedReason.NONE
    if not with_trial and (subscription.offer is None or subscription.offer.eligibility != Eligibility.NEW):
        return RefusedReason.NONE
    if is_new_subscriber(user_id=subscription.user_id, excluding=subscription.pk):
        return RefusedReason.NONE
    return RefusedReason.SECOND_TRIAL if with_trial else RefusedReason.OFFER_NOT_OPEN


def refuse(*, subscription: Subscription, reason: str, now: datetime) -> DuplicatePayment:
    """End a refused subscription here and queue its cancellation and refund at the provider.

    The caller has locked the subscription and the reader, and syncs entitlements afterwards
    (a refused subscription gives none)."""
    kept = (
        Subscription.objects.filter(user_id=subscription.user_id)
        .current()
        .exclude(pk=subscription.pk)
        .first()
    )
    subscription.status = SubscriptionStatus.EXPIRED
    subscription.refused_reason = reason
    subscription.cancel_at_period_end = False
    subscription.ended_at = now
    subscription.started_at = subscription.started_at or now
    subscription.last_event_at = max(filter(None, [subscription.last_event_at, now]))
    subscription.save()
    duplicate, _created = DuplicatePayment.objects.get_or_create(
        subscription=subscription,
        defaults={
            "user_id": subscription.user_id,
            "kept_subscription": kept,
            "reason": reason,
            "provider": subscription.provider,
            "provider_subscription_id": subscription.provider_subscription_id,
            "currency": subscription.plan.currency,
            "customer_email": subscription.user.email,
            "detected_at": now,
        },
    )
    logger.warning(
        "Refused subscription %s for reader %s (%s); cancelling and refunding it",
        subscription.pk,
        subscription.user_id,
        reason,
    )
    pk = duplicate.pk
    transaction.on_commit(lambda: settle_duplicate_quietly(duplicate_id=pk))
    return duplicate


def settle_duplicate(*, duplicate_id: int, now: datetime | None = None) -> DuplicatePayment:
    """Cancel the duplicate at its provider and refund what it took. Safe to call again, even by two
    workers at once: a settled row is left alone, and the provider calls carry idempotency keys (so
    no lock is held while the provider answers, which on SQLite would stop every other writer)."""
    duplicate = DuplicatePayment.objects.select_related("subscription__plan", "subscription__offer").get(
        pk=duplicate_id
    )
    if duplicate.outcome not in (DuplicateOutcome.PENDING, DuplicateOutcome.FAILED):
        return duplicate
    try:
        receipt = get_provider(duplicate.provider).refund_duplicate(duplicate=duplicate)
    except Exception as exc:  # any provider failure: recorded, and retried by the sweep
        logger.exception("Could not cancel and refund duplicate %s", duplicate.pk)
        with transaction.atomic():
            row = DuplicatePayment.objects.select_for_update().get(pk=duplicate_id)
            row.attempts += 1
            row.last_error = f"{type(exc).__name__}: {exc}"[:300]
            if row.attempts >= MAX_SETTLE_ATTEMPTS:
                row.outcome = DuplicateOutcome.FAILED
            row.save(update_fields=["attempts", "last_error", "outcome"])
        return row
    with transaction.atomic():
        row = DuplicatePayment.objects.select_for_update().get(pk=duplicate_id)
        if row.outcome not in (DuplicateOutcome.PENDING, DuplicateOutcome.FAILED):
            return row  # another worker settled it meanwhile (with the same refunds)
        row.attempts += 1
        row.last_error = ""
        row.refunded_minor = receipt.amount_minor
        row.currency = receipt.currency or row.currency
        row.provider_refund_ids = list(receipt.refund_ids)
        row.outcome = DuplicateOutcome.REFUNDED if receipt.amount_minor else DuplicateOutcome.NOTHING_PAID
        row.settled_at = now or timezone.now()
        row.save()
        if receipt.amount_minor and row.subscription_id is not None:
            # Every paid payment of the duplicate was refunded: the reader's list says so.
            PaymentRecord.objects.filter(
                subscription_id=row.subscription_id, paid=True, refunded_at__isnull=True
            ).update(refunded_at=row.settled_at)
        transaction.on_commit(lambda: _notify_reader(duplicate_id))
    return row


def settle_duplicate_quietly(*, duplicate_id: int) -> None:
    """Right after the refusal commits: a failure here is logged and retried by the sweep, never
    shown to the reader or to Stripe as an error (the refusal itself is already safe)."""
    try:
        settle_duplicate(duplicate_id=duplicate_id)
    except Exception:  # logged; the refusal itself is already committed
        logger.exception("Settling duplicate %s failed; the billing sweep retries it", duplicate_id)


def settle_pending_duplicates() -> int:
    """For the billing sweep: retry every duplicate not yet cancelled and refunded."""
    pending = DuplicatePayment.objects.filter(
        outcome=DuplicateOutcome.PENDING, attempts__lt=MAX_SETTLE_ATTEMPTS
    ).values_list("pk", flat=True)
    settled = 0
    for pk in list(pending):
        settled += int(settle_duplicate(duplicate_id=pk).outcome != DuplicateOutcome.PENDING)
    return settled


def _notify_reader(duplicate_id: int) -> None:
    from masthead.billing.tasks import notify_duplicate

    notify_duplicate.enqueue(duplicate_id=duplicate_id)
