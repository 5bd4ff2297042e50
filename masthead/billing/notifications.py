"""The e-mails a subscriber gets, each once per occasion, in their language (`masthead.mail`).

- welcome: the subscription started (what they took: offer, introductory price, regular price,
  first charge);
- receipt: every payment we were paid, first or renewal (a service message: always sent);
- trial_ending: 3 days before a trial turns into a paid subscription;
- intro_price_ending: 7 days before an introductory price ends and the regular price starts;
- renewal_reminder: 30 days before an annual subscription renews (a year is long enough to
  forget; monthly subscribers get a receipt each month instead);
- cancellation: the reader canceled and keeps access until the period ends (always sent: it
  confirms what they asked for, and that no further payment will be taken);
- payment_failed (always sent: their access is at risk) and ended;
- the duplicate notices (always sent: about their money).

The first four of the old kind are marked on the subscription (`*_sent_at`); the others are kept as
`masthead.mail.SentEmail` rows keyed on (kind, occasion) and claimed in the sending transaction,
so the periodic sweep and the immediate task can both call this safely.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone, translation

from masthead.accounts.models import User
from masthead.billing.models import (
    DuplicateOutcome,
    DuplicatePayment,
    Interval,
    PaymentRecord,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.money import format_money
from masthead.billing.terms import payment_line, publication_zone, subscription_terms
from masthead.mail.models import SentEmail
from masthead.mail.reader_mail import reader_language, send_once, send_reader_mail

logger = logging.getLogger(__name__)

TRIAL_REMINDER_BEFORE = timedelta(days=3)
INTRO_PRICE_NOTICE_BEFORE = timedelta(days=7)
ANNUAL_RENEWAL_NOTICE_BEFORE = timedelta(days=30)
# Do not greet readers about endings, payments or cancellations from long ago (e.g. the first sweep
# after an import, or the demo accounts' history).
ENDED_NOTICE_WINDOW = timedelta(days=14)
RECEIPT_WINDOW = timedelta(days=14)
CANCELLATION_NOTICE_WINDOW = timedelta(days=2)

# Service messages the reader cannot opt out of: their access or their money is concerned.
ALWAYS_SENT = frozenset({"payment_failed", "receipt", "cancellation"})

_MARKERS = {
    "welcome": "welcome_sent_at",
    "trial_ending": "trial_reminder_sent_at",
    "payment_failed": "payment_failed_notified_at",
    "ended": "ended_notified_at",
}


@dataclass(frozen=True)
class DueMail:
    kind: str
    # For kinds kept in SentEmail: the date the occasion is about (e.g. the renewal date).
    about: datetime | None = None

    def occasion(self, subscription: Subscription) -> str:
        about = self.about.isoformat() if self.about else ""
        return f"subscription:{subscription.pk}:{about}"


def _intro_price_ends(subscription: Subscription) -> datetime | None:
    if subscription.intro_price_minor is None or subscription.intro_ends_at is None:
        return None
    return subscription.intro_ends_at


def due_notifications(
    subscription: Subscription, *, now: datetime, sent: frozenset[tuple[str, str]] = frozenset()
) -> list[DueMail]:
    """What this subscription's reader should be told now. `sent` holds the (kind, occasion) pairs
    already sent for it. Pure: no database."""
    due: list[DueMail] = []
    status = subscription.status
    live = not subscription.refused_reason
    if subscription.welcome_sent_at is None and status in (
        SubscriptionStatus.TRIALING,
        SubscriptionStatus.ACTIVE,
    ):
        due.append(DueMail("welcome"))
    trial_end = subscription.trial_end
    if (
        status == SubscriptionStatus.TRIALING
        and trial_end is not None
        and now < trial_end <= now + TRIAL_REMINDER_BEFORE
        and subscription.trial_reminder_sent_at is None
    ):
        due.append(DueMail("trial_ending"))
    period_end = subscription.current_period_end
    intro_ends = _intro_price_ends(subscription)
    if (
        live
        and status == SubscriptionStatus.ACTIVE
        and intro_ends is not None
        and now < intro_ends <= now + INTRO_PRICE_NOTICE_BEFORE
    ):
        due.append(DueMail("intro_price_ending", intro_ends))
    interval = subscription.interval or subscription.plan.interval
    if (
        live
        and status == SubscriptionStatus.ACTIVE
        and interval == Interval.YEAR
        and period_end is not None
        and now < period_end <= now + ANNUAL_RENEWAL_NOTICE_BEFORE
    ):
        due.append(DueMail("renewal_reminder", period_end))
    if live and status == SubscriptionStatus.CANCELED and period_end is not None and period_end > now:
        due.append(DueMail("cancellation", period_end))
    failed = subscription.payment_failed_at
    notified = subscription.payment_failed_notified_at
    if (
        failed is not None
        and status != SubscriptionStatus.EXPIRED
        and (notified is None or notified < failed)
    ):
        due.append(DueMail("payment_failed"))
    ended = subscription.ended_at
    if (
        status == SubscriptionStatus.EXPIRED
        and ended is not None
        and subscription.ended_notified_at is None
        and ended >= now - ENDED_NOTICE_WINDOW
    ):
        due.append(DueMail("ended"))
    return [mail for mail in due if (mail.kind, mail.occasion(subscription)) not in sent]


def _sent_for(kind: str, field: str) -> Exists:
    return Exists(SentEmail.objects.filter(kind=kind, object_id=OuterRef("pk"), about=OuterRef(field)))


def candidates(*, now: datetime) -> QuerySet[Subscription]:
    """Subscriptions that may have an e-mail due (`due_notifications` decides)."""
    return (
        Subscription.objects.alias(
            cancellation_sent=_sent_for("cancellation", "current_period_end"),
            renewal_sent=_sent_for("renewal_reminder", "current_period_end"),
            intro_sent=_sent_for("intro_price_ending", "intro_ends_at"),
        )
        .filter(
            Q(
                welcome_sent_at__isnull=True,
                status__in=[SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE],
            )
            | Q(
                status=SubscriptionStatus.TRIALING,
                trial_end__gt=now,
                trial_end__lte=now + TRIAL_REMINDER_BEFORE,
                trial_reminder_sent_at__isnull=True,
            )
            | Q(
                status=SubscriptionStatus.ACTIVE,
                intro_price_minor__isnull=False,
                intro_ends_at__gt=now,
                intro_ends_at__lte=now + INTRO_PRICE_NOTICE_BEFORE,
                intro_sent=False,
            )
            | Q(
                Q(interval=Interval.YEAR) | Q(interval="", plan__interval=Interval.YEAR),
                status=SubscriptionStatus.ACTIVE,
                current_period_end__gt=now,
                current_period_end__lte=now + ANNUAL_RENEWAL_NOTICE_BEFORE,
                renewal_sent=False,
            )
            | Q(
                status=SubscriptionStatus.CANCELED,
                current_period_end__gt=now,
                updated_at__gte=now - CANCELLATION_NOTICE_WINDOW,
                cancellation_sent=False,
            )
            | Q(payment_failed_at__isnull=False, payment_failed_notified_at__isnull=True)
            | Q(payment_failed_notified_at__lt=F("payment_failed_at"))
            | Q(
                status=SubscriptionStatus.EXPIRED,
                ended_notified_at__isnull=True,
                ended_at__gte=now - ENDED_NOTICE_WINDOW,
            )
        )
        .select_related("user", "plan")
    )


def unreceipted_payments(*, now: datetime) -> QuerySet[PaymentRecord]:
    """Payments we were paid recently and have not sent a receipt for."""
    return (
        PaymentRecord.objects.filter(
            paid=True,
            amount_minor__gt=0,
            refunded_at__isnull=True,
            user__isnull=False,
            occurred_at__gte=now - RECEIPT_WINDOW,
        )
        .exclude(subscription__refused_reason__gt="")
        .alias(receipted=Exists(SentEmail.objects.filter(kind="receipt", object_id=OuterRef("pk"))))
        .filter(receipted=False)
        .select_related("user", "subscription__plan", "subscription__offer")
        .order_by("occurred_at", "pk")
    )


# --- sending -------------------------------------------------------------------------------------


def _send(*, kind: str, user: User, context: dict[str, Any]) -> None:
    # The footer says why the reader got it: a service message, or one of the e-mails they chose.
    service_message = kind in ALWAYS_SENT or kind.startswith("duplicate_")
    send_reader_mail(
        template=f"billing/email/{kind}",
        to=user.email,
        language=reader_language(user=user),
        context={**context, "service_message": service_message},
    )


def _subscription_context(subscription: Subscription) -> dict[str, Any]:
    """Made in the reader's language (the terms' texts are)."""
    return {
        "subscription": subscription,
        "terms": subscription_terms(subscription),
        "user": subscription.user,
    }


def _opted_out(user: User, kind: str) -> bool:
    return not user.billing_emails and kind not in ALWAYS_SENT


def send_due_notifications(*, subscription: Subscription, now: datetime | None = None) -> list[str]:
    now = now or timezone.now()
    user = subscription.user
    sent_pairs = frozenset(
        SentEmail.objects.filter(
            object_id=subscription.pk, occasion__startswith=f"subscription:{subscription.pk}:"
        )
        .exclude(kind="receipt")
        .values_list("kind", "occasion")
    )
    due = due_notifications(subscription, now=now, sent=sent_pairs)
    sent: list[str] = []
    marked = False
    for mail in due:
        with translation.override(reader_language(user=user)):
            context = _subscription_context(subscription)
        if mail.kind in _MARKERS:
            # Marked even when the reader opted out, so the choice is not re-evaluated every sweep.
            setattr(subscription, _MARKERS[mail.kind], now)
            marked = True
            if _opted_out(user, mail.kind):
                continue
            _send(kind=mail.kind, user=user, context=context)
            sent.append(mail.kind)
            continue
        deliver = None if _opted_out(user, mail.kind) else _sender(mail.kind, user, context)
        if (
            send_once(
                kind=mail.kind,
                occasion=mail.occasion(subscription),
                object_id=subscription.pk,
                about=mail.about,
                send=deliver,
                now=now,
            )
            and deliver is not None
        ):
            sent.append(mail.kind)
    if marked:
        subscription.save(update_fields=[*_MARKERS.values(), "updated_at"])
    sent.extend(
        send_receipts(payments=unreceipted_payments(now=now).filter(subscription=subscription), now=now)
    )
    return sent


def _sender(kind: str, user: User, context: dict[str, Any]) -> Any:
    return lambda: _send(kind=kind, user=user, context=context)


def send_receipt(*, payment: PaymentRecord, now: datetime | None = None) -> bool:
    """The receipt for one payment, once. The first payment of a subscription is a receipt; each
    later one says the subscription renewed."""
    user = payment.user
    if user is None or not payment.paid:
        return False
    subscription = payment.subscription
    with translation.override(reader_language(user=user)):
        context: dict[str, Any] = {
            "payment": payment_line(payment, zone=publication_zone()),
            "user": user,
            "renewal": subscription is not None
            and PaymentRecord.objects.filter(
                subscription=subscription, paid=True, amount_minor__gt=0, occurred_at__lt=payment.occurred_at
            ).exists(),
        }
        if subscription is not None:
            context.update(_subscription_context(subscription))
    return send_once(
        kind="receipt",
        occasion=f"payment:{payment.pk}",
        object_id=payment.pk,
        about=None,
        send=_sender("receipt", user, context),
        now=now,
    )


def send_receipts(*, payments: Iterable[PaymentRecord], now: datetime | None = None) -> list[str]:
    return ["receipt" for payment in payments if send_receipt(payment=payment, now=now)]


def send_duplicate_notice(*, duplicate: DuplicatePayment, now: datetime | None = None) -> str | None:
    """Tell the reader once that a second subscription was canceled (and what was refunded).

    Always sent, whatever their e-mail choices: it is about their money."""
    if duplicate.reader_notified_at is not None or duplicate.outcome not in (
        DuplicateOutcome.REFUNDED,
        DuplicateOutcome.NOTHING_PAID,
    ):
        return None
    user = duplicate.user
    if user is None:
        return None
    kind = "duplicate_refunded" if duplicate.outcome == DuplicateOutcome.REFUNDED else "duplicate_canceled"
    context = {
        "duplicate": duplicate,
        "amount": format_money(duplicate.refunded_minor, duplicate.currency or "USD"),
        "user": user,
    }
    _send(kind=kind, user=user, context=context)
    duplicate.reader_notified_at = now or timezone.now()
    duplicate.save(update_fields=["reader_notified_at"])
    return kind
