"""Writes: starting checkouts, recording what providers tell us, and turning subscriptions into access.

Every change of a subscription's facts ends in `sync_entitlements`, the only place billing talks to
`masthead.access.entitlements`.
"""

from __future__ import annotations

import calendar
import logging
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.access.entitlements import end_entitlement, grant_entitlement
from masthead.access.models import Entitlement
from masthead.accounts.models import User
from masthead.billing.duplicates import lock_reader, refusal_for, refuse
from masthead.billing.lifecycle import SubscriptionFacts, access_windows
from masthead.billing.models import (
    CURRENT_STATUSES,
    Interval,
    Offer,
    PaymentRecord,
    Plan,
    Provider,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.periods import add_intervals, next_period_end
from masthead.billing.providers.base import CheckoutUnavailable, get_provider
from masthead.billing.selectors import is_new_subscriber, offer_is_open_to
from masthead.billing.stripe_objects import InvoiceFacts, SubscriptionSnapshot

logger = logging.getLogger(__name__)

# A checkout the reader abandoned and retries within this time reuses the same local row (and so
# the same Stripe idempotency key).
CHECKOUT_REUSE = timedelta(hours=1)


def past_due_grace() -> timedelta:
    return timedelta(days=int(getattr(settings, "MASTHEAD_PAST_DUE_GRACE_DAYS", 7)))


def add_interval(moment: datetime, interval: str, count: int = 1) -> datetime:
    """Calendar months: 31 January + 1 month is 28/29 February, not 3 March."""
    months = count * (12 if interval == Interval.YEAR else 1)
    years, month_index = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + years, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def copy_terms(*, subscription: Subscription, plan: Plan, offer: Offer | None) -> None:
    """Copy the prices this reader is taking onto their subscription (not saved here)."""
    subscription.price_minor = plan.price_minor
    subscription.currency = plan.currency
    subscription.interval = plan.interval
    subscription.offer_headline = offer.headline if offer else ""
    subscription.intro_price_minor = offer.intro_price_minor if offer else None
    subscription.intro_intervals = offer.intro_intervals if offer else 0


def fix_intro_end(*, subscription: Subscription, provider_says: datetime | None = None) -> None:
    """When it starts, settle the moment the regular price begins: what the provider says (Stripe's
    discount end), else the introductory intervals counted from the end of any trial."""
    from masthead.billing.terms import intro_ends, terms_facts

    if subscription.price_minor is None:
        copy_terms(subscription=subscription, plan=subscription.plan, offer=subscription.offer)
    if not subscription.intro_intervals or subscription.intro_price_minor is None:
        subscription.intro_ends_at = None
        return
    if provider_says is not None:
        subscription.intro_ends_at = provider_says
        return
    if subscription.intro_ends_at is None and subscription.started_at is not None:
        subscription.intro_ends_at = intro_ends(terms_facts(subscription, zone=billing_zone(subscription)))


def billing_zone(subscription: Subscription) -> tzinfo:
    """Stripe counts months in UTC; the periods we keep ourselves follow the publication's calendar."""
    from masthead.billing.terms import publication_zone

    return UTC if subscription.provider == Provider.STRIPE else publication_zone()


def sync_entitlements(*, subscription: Subscription) -> None:
    if subscription.refused_reason:
        # A refused duplicate never gives access (so never a second trial); end anything it gave
        # before it was found (duplicates that existed before the one-subscription rule).
        ended = subscription.ended_at or timezone.now()
        for part in ("trial", "paid"):
            end_entitlement(source_ref=f"{subscription.source_ref}:{part}", ends_at=ended)
        return
    facts = SubscriptionFacts(
        status=subscription.status,
        started_at=subscription.started_at,
        trial_end=subscription.trial_end,
        current_period_end=subscription.current_period_end,
        cancel_at_period_end=subscription.cancel_at_period_end,
        ended_at=subscription.ended_at,
        paid_kind=subscription.grant_kind,
    )
    for window in access_windows(facts, grace=past_due_grace()):
        grant_entitlement(
            user=subscription.user,
            kind=window.kind,
            starts_at=window.starts_at,
            ends_at=window.ends_at,
            source_ref=f"{subscription.source_ref}:{window.part}",
            note=f"{subscription.plan.name} ({subscription.get_provider_display()})",
        )


def _notify_later(subscription: Subscription) -> None:
    from masthead.billing.tasks import notify_subscription

    pk = subscription.pk
    transaction.on_commit(lambda: notify_subscription.enqueue(subscription_id=pk))


# --- checkout ---------------------------------------------------------------------------------


def start_checkout(
    *,
    user: User,
    plan_id: int,
    offer_id: int | None,
    provider_name: str,
    success_url: str,
    cancel_url: str,
    now: datetime | None = None,
) -> str:
    """Create (or reuse) the pending subscription and return where to send the reader.

    Only ids come from the reader; prices, quantity and mode come from our catalogue.
    """
    now = now or timezone.now()
    offer: Offer | None = None
    if offer_id is not None:
        offer = Offer.objects.live(now).select_related("plan").filter(pk=offer_id).first()
        if offer is None:
            raise CheckoutUnavailable(_("This offer has ended."))
        if not offer_is_open_to(offer, user_id=user.pk):
            raise CheckoutUnavailable(_("This offer is for new subscribers only."))
        plan = offer.plan
    else:
        found = Plan.objects.filter(pk=plan_id, active=True).first()
        if found is None:
            raise CheckoutUnavailable(_("This plan is not on sale."))
        plan = found
    if Subscription.objects.filter(user=user).current().exists():
        raise CheckoutUnavailable(_("You already have a subscription."))
    subscription = Subscription.objects.filter(
        user=user,
        plan=plan,
        offer=offer,
        provider=provider_name,
        status=SubscriptionStatus.INCOMPLETE,
        created_at__gte=now - CHECKOUT_REUSE,
    ).first() or Subscription(user=user, plan=plan, offer=offer, provider=provider_name)
    # What the reader is shown now is what they take; a reused checkout takes today's terms.
    copy_terms(subscription=subscription, plan=plan, offer=offer)
    subscription.save()
    return get_provider(provider_name).start_checkout(
        subscription=subscription, success_url=success_url, cancel_url=cancel_url
    )


@transaction.atomic
def complete_demo_checkout(*, subscription: Subscription, now: datetime | None = None) -> Subscription:
    """The demo provider's "payment": a trial when the plan has one and the reader is new, else paid."""
    now = now or timezone.now()
    subscription = Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)
    if subscription.provider != Provider.DEMO or subscription.status != SubscriptionStatus.INCOMPLETE:
        return subscription
    # Asked again now, with the reader locked: other checkouts may have completed since this
    # one started.
    lock_reader(user_id=subscription.user_id)
    plan = subscription.plan
    trial = (
        subscription.offer is None
        and plan.trial_days > 0
        and is_new_subscriber(user_id=subscription.user_id, excluding=subscription.pk)
    )
    subscription.started_at = now
    if subscription.price_minor is None:
        copy_terms(subscription=subscription, plan=plan, offer=subscription.offer)
    if trial:
        subscription.status = SubscriptionStatus.TRIALING
        subscription.trial_end = now + timedelta(days=plan.trial_days)
        subscription.current_period_end = subscription.trial_end
    else:
        subscription.status = SubscriptionStatus.ACTIVE
        subscription.current_period_end = add_intervals(
            now, subscription.interval, 1, zone=billing_zone(subscription)
        )
    fix_intro_end(subscription=subscription)
    reason = refusal_for(subscription=subscription, with_trial=trial)
    if reason:
        # Like a card that was charged: the demo "payment" is taken, then refunded through the
        # provider when the duplicate is settled.
        refuse(subscription=subscription, reason=reason, now=now)
        if not trial:
            record_demo_payment(subscription=subscription, period_start=now, period_end=None, now=now)
        sync_entitlements(subscription=subscription)
        return subscription
    subscription.save()
    if not trial:
        record_demo_payment(
            subscription=subscription,
            period_start=now,
            period_end=subscription.current_period_end,
            now=now,
        )
    sync_entitlements(subscription=subscription)
    _notify_later(subscription)
    return subscription


def record_demo_payment(
    *, subscription: Subscription, period_start: datetime, period_end: datetime | None, now: datetime
) -> PaymentRecord:
    """The demo provider's "charge" for one period: the introductory price while the offer lasts,
    then the regular price. One record per period (its start names it), so a retry adds none."""
    intro = (
        subscription.intro_ends_at is not None
        and subscription.intro_price_minor is not None
        and period_start < subscription.intro_ends_at
    )
    amount = subscription.intro_price_minor if intro else subscription.price_minor
    record, _created = PaymentRecord.objects.get_or_create(
        provider_invoice_id=f"demo_in_{subscription.pk}_{int(period_start.timestamp())}",
        defaults={
            "user_id": subscription.user_id,
            "subscription": subscription,
            "provider": Provider.DEMO,
            "amount_minor": amount if amount is not None else subscription.plan.price_minor,
            "currency": subscription.currency or subscription.plan.currency,
            "paid": True,
            "intro": intro,
            "period_start": period_start,
            "period_end": period_end,
            "description": subscription.offer_headline or subscription.plan.name,
            "customer_email": subscription.user.email,
            "occurred_at": now,
        },
    )
    return record


# --- cancel and resume ---------------------------------------------------------------------------


def cancel_at_period_end(*, subscription: Subscription, cancel: bool = True) -> None:
    get_provider(subscription.provider).set_cancel_at_period_end(subscription=subscription, cancel=cancel)


@transaction.atomic
def set_local_cancel_at_period_end(*, subscription: Subscription, cancel: bool) -> None:
    """For providers whose state lives with us (demo, manual)."""
    subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if subscription.status in (SubscriptionStatus.INCOMPLETE, SubscriptionStatus.EXPIRED):
        return
    subscription.cancel_at_period_end = cancel
    if cancel:
        subscription.status = SubscriptionStatus.CANCELED
    elif subscription.trial_end and subscription.current_period_end == subscription.trial_end:
        subscription.status = SubscriptionStatus.TRIALING
    else:
        subscription.status = SubscriptionStatus.ACTIVE
    subscription.save()
    sync_entitlements(subscription=subscription)


# --- Stripe ---------------------------------------------------------------------------------------


def _find_for_snapshot(snapshot: SubscriptionSnapshot) -> Subscription | None:
    rows = Subscription.objects.select_for_update().select_related("plan", "user")
    found = rows.filter(provider=Provider.STRIPE, provider_subscription_id=snapshot.id).first()
    if found is None and snapshot.local_ref.isdigit():
        found = rows.filter(
            pk=int(snapshot.local_ref),
            provider=Provider.STRIPE,
            provider_subscription_id__in=["", snapshot.id],
        ).first()
    if found is None and snapshot.customer:
        # Started outside our checkout (e.g. in the Stripe dashboard) for a customer we know.
        known = Subscription.objects.filter(provider_customer_id=snapshot.customer).first()
        plan = Plan.objects.filter(provider_price_id=snapshot.price_id).first() if snapshot.price_id else None
        if known is not None and plan is not None:
            found = Subscription.objects.create(
                user_id=known.user_id,
                plan=plan,
                provider=Provider.STRIPE,
                provider_customer_id=snapshot.customer,
                provider_subscription_id=snapshot.id,
            )
    return found


@transaction.atomic
def apply_stripe_snapshot(*, snapshot: SubscriptionSnapshot, observed_at: datetime | None) -> str:
    """Record Stripe's view of a subscription as of `observed_at` (the event's `created`).

    Order-tolerant: an older snapshot never overwrites a newer one, and an ended subscription is
    never revived (Stripe cannot restart a canceled subscription either).
    """
    observed_at = observed_at or timezone.now()
    subscription = _find_for_snapshot(snapshot)
    if subscription is None:
        return "unknown subscription"
    if subscription.status == SubscriptionStatus.EXPIRED and subscription.ended_at is not None:
        return "ignored: already ended"
    stale = subscription.last_event_at is not None and observed_at < subscription.last_event_at
    if stale and not snapshot.terminal:
        return "ignored: older than what we know"
    if snapshot.status in CURRENT_STATUSES and subscription.status not in CURRENT_STATUSES:
        refused = _refuse_if_duplicate(subscription=subscription, snapshot=snapshot, observed_at=observed_at)
        if refused:
            return refused
    subscription.provider_subscription_id = snapshot.id
    if snapshot.customer:
        subscription.provider_customer_id = snapshot.customer
    subscription.status = snapshot.status
    subscription.cancel_at_period_end = snapshot.cancel_at_period_end
    subscription.started_at = snapshot.start_date or subscription.started_at or observed_at
    subscription.trial_end = snapshot.trial_end
    subscription.current_period_end = snapshot.current_period_end
    fix_intro_end(subscription=subscription, provider_says=snapshot.discount_end)
    if snapshot.terminal:
        subscription.ended_at = snapshot.ended_at or observed_at
    if subscription.last_event_at is None or observed_at > subscription.last_event_at:
        subscription.last_event_at = observed_at
    subscription.save()
    sync_entitlements(subscription=subscription)
    _adopt_payments(subscription)
    _notify_later(subscription)
    return f"subscription {subscription.pk} is {subscription.status}"


def _refuse_if_duplicate(
    *, subscription: Subscription, snapshot: SubscriptionSnapshot, observed_at: datetime
) -> str:
    """The completion gate for Stripe: this subscription is about to give access."""
    lock_reader(user_id=subscription.user_id)
    reason = refusal_for(
        subscription=subscription,
        with_trial=snapshot.trial_end is not None,
        # Paused by Stripe and resumed: it gave access before, so its own trial is not a second one.
        first_start=not Entitlement.objects.filter(
            source_ref__startswith=f"{subscription.source_ref}:"
        ).exists(),
    )
    if not reason:
        return ""
    subscription.provider_subscription_id = snapshot.id
    if snapshot.customer:
        subscription.provider_customer_id = snapshot.customer
    subscription.started_at = snapshot.start_date or observed_at
    subscription.trial_end = snapshot.trial_end
    subscription.current_period_end = snapshot.current_period_end
    refuse(subscription=subscription, reason=reason, now=observed_at)
    sync_entitlements(subscription=subscription)
    _adopt_payments(subscription)
    return f"refused subscription {subscription.pk}: {reason}"


@transaction.atomic
def link_checkout_session(*, session: dict[str, Any], observed_at: datetime | None) -> str:
    """A completed Checkout Session tells us which customer and subscription our row became.

    The success page passes the session with its subscription expanded, which grants access at
    once; the webhook carries ids only, and the subscription events bring the state.
    """
    local_ref = str(session.get("client_reference_id") or "")
    rows = Subscription.objects.select_for_update().filter(provider=Provider.STRIPE)
    subscription = rows.filter(provider_checkout_id=str(session.get("id") or "")).first()
    if subscription is None and local_ref.isdigit():
        subscription = rows.filter(pk=int(local_ref)).first()
    if subscription is None:
        return "unknown checkout"
    customer = session.get("customer")
    stripe_subscription = session.get("subscription")
    if isinstance(customer, str) and customer:
        subscription.provider_customer_id = customer
    if isinstance(stripe_subscription, dict):
        subscription.provider_subscription_id = str(stripe_subscription.get("id") or "")
    elif isinstance(stripe_subscription, str) and stripe_subscription:
        subscription.provider_subscription_id = stripe_subscription
    subscription.provider_checkout_id = str(session.get("id") or subscription.provider_checkout_id)
    subscription.save()
    _adopt_payments(subscription)
    if isinstance(stripe_subscription, dict):
        return apply_stripe_snapshot(
            snapshot=SubscriptionSnapshot.from_stripe(stripe_subscription), observed_at=observed_at
        )
    return f"checkout linked to subscription {subscription.pk}"


@transaction.atomic
def record_invoice(*, invoice: InvoiceFacts, paid: bool, occurred_at: datetime) -> str:
    """Keep the payment record; a failed payment flags the subscription for the reader's e-mail.

    Order-tolerant: a record once paid stays paid; the latest failure time wins; an invoice that
    arrives before its subscription is known is adopted when the subscription is linked.
    """
    record, _created = PaymentRecord.objects.select_for_update().get_or_create(
        provider_invoice_id=invoice.id,
        defaults={
            "provider": Provider.STRIPE,
            "provider_subscription_id": invoice.subscription_id,
            "amount_minor": invoice.amount_minor,
            "currency": invoice.currency,
            "description": invoice.description,
            "customer_email": invoice.customer_email,
            "occurred_at": occurred_at,
            "period_start": invoice.period_start,
            "period_end": invoice.period_end,
            "intro": invoice.discounted,
        },
    )
    if paid and not record.paid:
        record.paid = True
        record.amount_minor = invoice.amount_minor
        record.occurred_at = occurred_at
    if not paid and (record.failed_at is None or occurred_at > record.failed_at):
        record.failed_at = occurred_at
    record.save()
    subscription = (
        Subscription.objects.select_for_update()
        .filter(provider=Provider.STRIPE, provider_subscription_id=invoice.subscription_id)
        .first()
        if invoice.subscription_id
        else None
    )
    if subscription is not None:
        _adopt_payments(subscription)
    return f"invoice {invoice.id} {'paid' if paid else 'failed'}"


def _adopt_payments(subscription: Subscription) -> None:
    """Attach the subscription's payment records and derive the latest payment failure from them."""
    if not subscription.provider_subscription_id:
        return
    PaymentRecord.objects.filter(
        provider_subscription_id=subscription.provider_subscription_id, subscription__isnull=True
    ).update(subscription=subscription, user=subscription.user)
    latest_failure = (
        PaymentRecord.objects.filter(subscription=subscription, failed_at__isnull=False)
        .order_by("-failed_at")
        .values_list("failed_at", flat=True)
        .first()
    )
    if latest_failure is not None and latest_failure != subscription.payment_failed_at:
        subscription.payment_failed_at = latest_failure
        subscription.save(update_fields=["payment_failed_at", "updated_at"])
        _notify_later(subscription)


# --- tidying --------------------------------------------------------------------------------------


def tidy_subscription(*, subscription: Subscription, now: datetime) -> bool:
    """Move a demo or staff subscription whose period is over to its next state.

    Access already stopped on time through the entitlement end dates; this keeps the status that
    the account page and e-mails show truthful. Stripe subscriptions are moved by Stripe's events.
    """
    if subscription.provider == Provider.STRIPE or subscription.current_period_end is None:
        return False
    if subscription.current_period_end > now:
        return False
    if subscription.status in (SubscriptionStatus.CANCELED, SubscriptionStatus.PAST_DUE) or (
        subscription.provider == Provider.MANUAL and subscription.status == SubscriptionStatus.ACTIVE
    ):
        subscription.status = SubscriptionStatus.EXPIRED
        subscription.ended_at = subscription.current_period_end
    elif subscription.status in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE):
        # The demo provider "charges" each period that began, like a card on file would. Periods
        # are counted from the start of paid time, so 31 January renews on 28 February, then 31 March.
        subscription.status = SubscriptionStatus.ACTIVE
        interval = subscription.interval or subscription.plan.interval
        anchor = subscription.trial_end or subscription.started_at or subscription.current_period_end
        zone = billing_zone(subscription)
        period_end = subscription.current_period_end
        while period_end <= now:
            period_start = period_end
            period_end = next_period_end(anchor, interval, period_start, zone=zone)
            if subscription.provider == Provider.DEMO:
                # Dated when the period began: the demo's card is charged on the renewal date.
                record_demo_payment(
                    subscription=subscription,
                    period_start=period_start,
                    period_end=period_end,
                    now=period_start,
                )
        subscription.current_period_end = period_end
    else:
        return False
    subscription.save()
    sync_entitlements(subscription=subscription)
    return True
