"""The e-mails a subscriber gets: welcome, trial ending in 3 days, payment failed, subscription ended.

Each is sent at most once per occasion; the send time is stored on the subscription, so the
periodic sweep and the immediate task can both call this safely.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from masthead.billing.models import DuplicateOutcome, DuplicatePayment, Subscription, SubscriptionStatus
from masthead.billing.money import format_money

logger = logging.getLogger(__name__)

TRIAL_REMINDER_BEFORE = timedelta(days=3)
# Do not greet readers about endings from long ago (e.g. the first sweep after an import).
ENDED_NOTICE_WINDOW = timedelta(days=14)

SUBJECTS = {
    "welcome": "Welcome to {publication}",
    "trial_ending": "Your trial of {publication} ends in 3 days",
    "payment_failed": "We could not take your payment for {publication}",
    "ended": "Your subscription to {publication} has ended",
    "duplicate_refunded": "We refunded a duplicate payment to {publication}",
    "duplicate_canceled": "We canceled a second subscription to {publication}",
}
# Service messages the reader cannot opt out of: their access is at risk.
ALWAYS_SENT = frozenset({"payment_failed"})


def due_notifications(subscription: Subscription, *, now: datetime) -> list[str]:
    due: list[str] = []
    status = subscription.status
    if subscription.welcome_sent_at is None and status in (
        SubscriptionStatus.TRIALING,
        SubscriptionStatus.ACTIVE,
    ):
        due.append("welcome")
    trial_end = subscription.trial_end
    if (
        status == SubscriptionStatus.TRIALING
        and trial_end is not None
        and now < trial_end <= now + TRIAL_REMINDER_BEFORE
        and subscription.trial_reminder_sent_at is None
    ):
        due.append("trial_ending")
    failed = subscription.payment_failed_at
    notified = subscription.payment_failed_notified_at
    if (
        failed is not None
        and status != SubscriptionStatus.EXPIRED
        and (notified is None or notified < failed)
    ):
        due.append("payment_failed")
    ended = subscription.ended_at
    if (
        status == SubscriptionStatus.EXPIRED
        and ended is not None
        and subscription.ended_notified_at is None
        and ended >= now - ENDED_NOTICE_WINDOW
    ):
        due.append("ended")
    return due


def candidates(*, now: datetime) -> QuerySet[Subscription]:
    return Subscription.objects.filter(
        Q(welcome_sent_at__isnull=True, status__in=[SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE])
        | Q(
            status=SubscriptionStatus.TRIALING,
            trial_end__gt=now,
            trial_end__lte=now + TRIAL_REMINDER_BEFORE,
            trial_reminder_sent_at__isnull=True,
        )
        | Q(payment_failed_at__isnull=False, payment_failed_notified_at__isnull=True)
        | Q(payment_failed_notified_at__lt=F("payment_failed_at"))
        | Q(
            status=SubscriptionStatus.EXPIRED,
            ended_notified_at__isnull=True,
            ended_at__gte=now - ENDED_NOTICE_WINDOW,
        )
    ).select_related("user", "plan")


_MARKERS = {
    "welcome": "welcome_sent_at",
    "trial_ending": "trial_reminder_sent_at",
    "payment_failed": "payment_failed_notified_at",
    "ended": "ended_notified_at",
}


def send_due_notifications(*, subscription: Subscription, now: datetime | None = None) -> list[str]:
    from masthead.access.paywall_config import paywall_config

    now = now or timezone.now()
    sent: list[str] = []
    user = subscription.user
    publication = paywall_config(request=None).publication
    due = due_notifications(subscription, now=now)
    for kind in due:
        # Marked even when the reader opted out, so the choice is not re-evaluated every sweep.
        setattr(subscription, _MARKERS[kind], now)
        if not user.billing_emails and kind not in ALWAYS_SENT:
            continue
        context = {"subscription": subscription, "publication": publication, "user": user}
        with translation.override(settings.LANGUAGE_CODE):
            body = render_to_string(f"billing/email/{kind}.txt", context)
        send_mail(SUBJECTS[kind].format(publication=publication), body, None, [user.email])
        sent.append(kind)
    if due:
        subscription.save(update_fields=[*_MARKERS.values(), "updated_at"])
    return sent


def send_duplicate_notice(*, duplicate: DuplicatePayment, now: datetime | None = None) -> str | None:
    """Tell the reader once that a second subscription was canceled (and what was refunded).

    Always sent, whatever their e-mail choices: it is about their money."""
    from masthead.access.paywall_config import paywall_config

    if duplicate.reader_notified_at is not None or duplicate.outcome not in (
        DuplicateOutcome.REFUNDED,
        DuplicateOutcome.NOTHING_PAID,
    ):
        return None
    user = duplicate.user
    if user is None:
        return None
    kind = "duplicate_refunded" if duplicate.outcome == DuplicateOutcome.REFUNDED else "duplicate_canceled"
    publication = paywall_config(request=None).publication
    context = {
        "duplicate": duplicate,
        "amount": format_money(duplicate.refunded_minor, duplicate.currency or "USD"),
        "publication": publication,
        "user": user,
    }
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(f"billing/email/{kind}.txt", context)
    send_mail(SUBJECTS[kind].format(publication=publication), body, None, [user.email])
    duplicate.reader_notified_at = now or timezone.now()
    duplicate.save(update_fields=["reader_notified_at"])
    return kind
