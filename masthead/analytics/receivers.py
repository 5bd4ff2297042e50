"""Conversions from the records that decide them: allauth's sign-ups and confirmations, newsletter
subscriptions and billing's subscriptions and payments (signals, so billing needs no change).

A subscription's status change is read against what it was when loaded (post_init), so each
transition is recorded once: checkout started, trial started or subscription started, trial
converted or expired, payment failed, cancellation, lapse, and a returning subscriber's reactivation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver

from masthead.analytics import recorder, tracking
from masthead.analytics.middleware import current_request
from masthead.analytics.models import Event, Kind
from masthead.billing.models import PaymentRecord, Subscription, SubscriptionStatus
from masthead.newsletters.models import NewsletterSubscription

logger = logging.getLogger(__name__)
S = SubscriptionStatus
STARTED = {S.TRIALING, S.ACTIVE, S.PAST_DUE, S.CANCELED}


_muted = threading.local()


@contextmanager
def muted() -> Iterator[None]:
    """Billing records written by a generator (demo, tests) that writes its own dated events."""
    _muted.on = True
    try:
        yield
    finally:
        _muted.on = False


def _emit(kind: str, *, account_id: int | None, **fields: Any) -> None:
    if getattr(_muted, "on", False):
        return
    try:
        request = current_request.get()
        event = tracking.conversion(kind, account_id=account_id, request=request, **fields)
        if request is not None:
            recorder.add_to_request(request, event)
        else:
            recorder.submit([event])
    except Exception:
        logger.exception("analytics: could not record %s", kind)


@receiver(user_signed_up, dispatch_uid="analytics_registration")
def on_signed_up(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        tracking.link_anonymous_reads(request=request, account_id=int(user.pk))
    _emit(Kind.REGISTRATION, account_id=int(user.pk))


@receiver(user_logged_in, dispatch_uid="analytics_login")
def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None:
        tracking.link_anonymous_reads(request=request, account_id=int(user.pk))


@receiver(email_confirmed, dispatch_uid="analytics_verification")
def on_email_confirmed(sender: Any, request: Any, email_address: Any, **kwargs: Any) -> None:
    _emit(Kind.VERIFICATION, account_id=int(email_address.user_id))


@receiver(post_save, sender=NewsletterSubscription, dispatch_uid="analytics_newsletter")
def on_newsletter(sender: Any, instance: NewsletterSubscription, created: bool, **kwargs: Any) -> None:
    if created and instance.source not in ("import", "demo", "admin"):
        _emit(Kind.NEWSLETTER_SIGNUP, account_id=int(instance.reader_id))


@receiver(post_init, sender=Subscription, dispatch_uid="analytics_subscription_init")
def remember_status(sender: Any, instance: Subscription, **kwargs: Any) -> None:
    # Read from __dict__: a deferred field (`.only()`) must not cost a query here, or recurse.
    loaded = instance.__dict__
    instance._analytics_was = (  # type: ignore[attr-defined]
        None if instance.pk is None else loaded.get("status"),
        loaded.get("cancel_at_period_end", False),
    )


def _subscription_fields(sub: Subscription) -> dict[str, Any]:
    return {
        "subscription_id": sub.pk,
        "plan_id": sub.plan_id,
        "offer_id": sub.offer_id,
        "amount_minor": sub.intro_price_minor if sub.offer_id else sub.price_minor,
        "currency": sub.currency,
    }


def transitions(was: str | None, was_canceling: bool, sub: Subscription, *, returning: bool) -> list[str]:
    """Which lifecycle events a save of `sub` from status `was` means (pure, tested)."""
    now, kinds = sub.status, []
    if sub.refused_reason:
        return []
    if was is None and now == S.INCOMPLETE:
        kinds.append(Kind.CHECKOUT_STARTED)
    if was in (None, S.INCOMPLETE) and now in STARTED:
        kinds.append(Kind.TRIAL_STARTED if now == S.TRIALING else Kind.SUBSCRIPTION_STARTED)
        if returning:
            kinds.append(Kind.REACTIVATION)
    if was == S.INCOMPLETE and now == S.EXPIRED:
        kinds.append(Kind.CHECKOUT_ABANDONED)
    if was == S.TRIALING and now in (S.ACTIVE, S.PAST_DUE):
        kinds.append(Kind.TRIAL_CONVERTED)
    if was == S.TRIALING and now == S.EXPIRED:
        kinds.append(Kind.TRIAL_EXPIRED)
    if was in (S.ACTIVE, S.TRIALING) and now == S.PAST_DUE:
        kinds.append(Kind.PAYMENT_FAILED)
    canceling = now == S.CANCELED or sub.cancel_at_period_end
    if was in STARTED and canceling and not (was == S.CANCELED or was_canceling):
        kinds.append(Kind.CANCELLATION)
    if was in (S.ACTIVE, S.PAST_DUE, S.CANCELED) and now == S.EXPIRED:
        kinds.append(Kind.LAPSE)
    return kinds


@receiver(post_save, sender=Subscription, dispatch_uid="analytics_subscription")
def on_subscription(sender: Any, instance: Subscription, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or getattr(_muted, "on", False):
        return
    was, was_canceling = getattr(instance, "_analytics_was", (None, False))
    if created:
        was = None
    returning = False
    if was in (None, S.INCOMPLETE) and instance.status in STARTED:
        returning = (
            Subscription.objects.filter(user_id=instance.user_id)
            .started()
            .exclude(pk=instance.pk)
            .filter(started_at__lt=instance.started_at or instance.created_at)
            .exists()
        )
    for kind in transitions(was, was_canceling, instance, returning=returning):
        _emit(kind, account_id=int(instance.user_id), **_subscription_fields(instance))
    instance._analytics_was = (instance.status, instance.cancel_at_period_end)  # type: ignore[attr-defined]


@receiver(post_save, sender=PaymentRecord, dispatch_uid="analytics_payment")
def on_payment(sender: Any, instance: PaymentRecord, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw") or getattr(_muted, "on", False):
        return
    if not instance.paid or instance.subscription_id is None:
        return
    earlier = (
        PaymentRecord.objects.filter(subscription_id=instance.subscription_id, paid=True)
        .exclude(pk=instance.pk)
        .exists()
    )
    if earlier:
        _emit(
            Kind.RENEWAL,
            account_id=instance.user_id,
            subscription_id=instance.subscription_id,
            amount_minor=instance.amount_minor,
            currency=instance.currency,
        )


@receiver(post_delete, sender=get_user_model(), dispatch_uid="analytics_erase")
def erase_with_account(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A deleted account takes its events with it (anonymous ones joined it at sign-up or sign-in)."""
    recorder.flush()
    Event.objects.filter(account_id=instance.pk).delete()


def export_events(*, user_id: int) -> list[dict[str, Any]]:
    """The reader's events for their data export."""
    recorder.flush()
    fields = (
        "at",
        "kind",
        "article_id",
        "reader_kind",
        "decision",
        "meter_position",
        "prompt",
        "referrer_class",
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "experiment",
        "variant",
        "offer_id",
        "plan_id",
        "amount_minor",
        "currency",
    )
    rows = Event.objects.filter(account_id=user_id).order_by("at").values(*fields)
    return [{**row, "at": row["at"].isoformat()} for row in rows]
