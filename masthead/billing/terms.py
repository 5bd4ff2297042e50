"""What a reader took and what they paid, in words: the welcome page, /account/, e-mails, export.

The terms come from the subscription's own copy (made when the checkout started), never from the
offer or plan as they are today, so editing an offer cannot rewrite what a reader agreed to.
Facts first, then a pure function: `terms_from_facts` needs no database; `subscription_terms`
gathers the facts. Texts are made in the active language: wrap calls in `translation.override`
to write in the reader's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from django.utils.translation import gettext, ngettext

from masthead.billing.models import (
    Interval,
    PaymentRecord,
    Provider,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.money import format_money
from masthead.billing.periods import add_intervals, period_index


@dataclass(frozen=True)
class SubscriptionTerms:
    plan_name: str
    offer_headline: str | None  # "3 months for $9", None without an offer
    intro_price_text: str | None  # "$9 for 3 months"
    intro_ends_at: datetime | None  # when the regular price starts (aware UTC)
    regular_price_text: str  # "$15 a month"
    next_charge_at: datetime | None
    next_charge_text: str | None  # what the next charge will be, e.g. "$15.00"
    intro_interval_price_text: str | None = None  # "$3 a month"
    intro_period_text: str | None = None  # "3 months"


@dataclass(frozen=True)
class TermsFacts:
    """The facts of one subscription that its terms are computed from."""

    plan_name: str
    provider: str
    status: str
    interval: str
    currency: str
    price_minor: int
    offer_headline: str
    intro_price_minor: int | None
    intro_intervals: int
    started_at: datetime | None
    trial_end: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    intro_ends_at: datetime | None
    zone: tzinfo = UTC

    @property
    def has_intro(self) -> bool:
        return self.intro_price_minor is not None and self.intro_intervals > 0


def interval_count_text(interval: str, count: int) -> str:
    if interval == Interval.YEAR:
        return ngettext("%(n)d year", "%(n)d years", count) % {"n": count}
    return ngettext("%(n)d month", "%(n)d months", count) % {"n": count}


def per_interval_text(amount_minor: int, currency: str, interval: str) -> str:
    """ "$15 a month", "$150 a year"."""
    price = format_money(amount_minor, currency, trim=True)
    if interval == Interval.YEAR:
        return gettext("%(price)s a year") % {"price": price}
    return gettext("%(price)s a month") % {"price": price}


def intro_ends(facts: TermsFacts) -> datetime | None:
    """When the regular price starts: the introductory intervals counted from the start of paid
    time (after a trial), on the publication's calendar."""
    if not facts.has_intro:
        return None
    if facts.intro_ends_at is not None:
        return facts.intro_ends_at
    anchor = facts.trial_end or facts.started_at
    if anchor is None:
        return None
    return add_intervals(anchor, facts.interval, facts.intro_intervals, zone=facts.zone)


def _next_charge_at(facts: TermsFacts) -> datetime | None:
    # Staff grants are not charged through us; a canceled or ended subscription charges nothing more.
    if facts.provider == Provider.MANUAL or facts.cancel_at_period_end:
        return None
    if facts.status == SubscriptionStatus.TRIALING:
        return facts.trial_end or facts.current_period_end
    if facts.status == SubscriptionStatus.ACTIVE:
        return facts.current_period_end
    return None


def terms_from_facts(facts: TermsFacts) -> SubscriptionTerms:
    ends = intro_ends(facts)
    intro_price_text = intro_interval_price_text = intro_period_text = None
    if facts.has_intro:
        assert facts.intro_price_minor is not None
        total = facts.intro_price_minor * facts.intro_intervals
        intro_period_text = interval_count_text(facts.interval, facts.intro_intervals)
        intro_price_text = gettext("%(total)s for %(period)s") % {
            "total": format_money(total, facts.currency, trim=True),
            "period": intro_period_text,
        }
        intro_interval_price_text = per_interval_text(facts.intro_price_minor, facts.currency, facts.interval)
    next_at = _next_charge_at(facts)
    next_text = None
    if next_at is not None:
        at_intro = facts.has_intro and ends is not None and next_at < ends
        amount = facts.price_minor
        if at_intro and facts.intro_price_minor is not None:
            amount = facts.intro_price_minor
        next_text = format_money(amount, facts.currency)
    return SubscriptionTerms(
        plan_name=facts.plan_name,
        offer_headline=facts.offer_headline or None,
        intro_price_text=intro_price_text,
        intro_ends_at=ends,
        regular_price_text=per_interval_text(facts.price_minor, facts.currency, facts.interval),
        next_charge_at=next_at,
        next_charge_text=next_text,
        intro_interval_price_text=intro_interval_price_text,
        intro_period_text=intro_period_text,
    )


def publication_zone() -> tzinfo:
    from masthead.access.paywall_config import paywall_config

    return paywall_config(request=None).zone


def terms_facts(subscription: Subscription, *, zone: tzinfo | None = None) -> TermsFacts:
    plan = subscription.plan
    # Rows from before terms were copied fall back to the plan and offer as they are.
    offer = subscription.offer if subscription.price_minor is None else None
    return TermsFacts(
        plan_name=plan.name,
        provider=subscription.provider,
        status=subscription.status,
        interval=subscription.interval or plan.interval,
        currency=subscription.currency or plan.currency,
        price_minor=subscription.price_minor if subscription.price_minor is not None else plan.price_minor,
        offer_headline=subscription.offer_headline or (offer.headline if offer else ""),
        intro_price_minor=(
            subscription.intro_price_minor
            if subscription.price_minor is not None
            else (offer.intro_price_minor if offer else None)
        ),
        intro_intervals=(
            subscription.intro_intervals
            if subscription.price_minor is not None
            else (offer.intro_intervals if offer else 0)
        ),
        started_at=subscription.started_at,
        trial_end=subscription.trial_end,
        current_period_end=subscription.current_period_end,
        cancel_at_period_end=subscription.cancel_at_period_end,
        intro_ends_at=subscription.intro_ends_at,
        zone=zone or publication_zone(),
    )


def subscription_terms(subscription: Subscription) -> SubscriptionTerms:
    return terms_from_facts(terms_facts(subscription))


# --- payments ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentLine:
    """One payment as the reader sees it."""

    reference: str  # the provider's invoice id
    occurred_at: datetime
    amount_minor: int
    currency: str
    amount_text: str  # "$3.00"
    description: str  # what it was for
    status: str  # "paid", "failed", "refunded" or "pending"
    status_text: str
    refunded: bool
    intro: bool
    period_start: datetime | None
    period_end: datetime | None


def _status(record: PaymentRecord) -> tuple[str, str]:
    if record.refunded_at is not None:
        return "refunded", gettext("Refunded")
    if record.paid:
        return "paid", gettext("Paid")
    if record.failed_at is not None:
        return "failed", gettext("Payment failed")
    return "pending", gettext("Pending")


def _description(record: PaymentRecord, facts: TermsFacts | None) -> str:
    if facts is None:
        return record.description
    if record.amount_minor == 0 and facts.trial_end is not None:
        return gettext("%(plan)s: free trial") % {"plan": facts.plan_name}
    if record.intro and facts.has_intro:
        anchor = facts.trial_end or facts.started_at
        moment = record.period_start or record.occurred_at
        index = period_index(anchor, facts.interval, moment, zone=facts.zone) if anchor else 1
        index = min(max(index, 1), facts.intro_intervals)
        values = {
            "plan": facts.plan_name,
            "offer": facts.offer_headline,
            "n": index,
            "count": facts.intro_intervals,
        }
        if facts.interval == Interval.YEAR:
            return gettext("%(plan)s, %(offer)s: introductory price, year %(n)d of %(count)d") % values
        return gettext("%(plan)s, %(offer)s: introductory price, month %(n)d of %(count)d") % values
    return gettext("%(plan)s: regular price") % {"plan": facts.plan_name}


def payment_line(record: PaymentRecord, *, zone: tzinfo | None = None) -> PaymentLine:
    facts = terms_facts(record.subscription, zone=zone) if record.subscription is not None else None
    status, status_text = _status(record)
    return PaymentLine(
        reference=record.provider_invoice_id,
        occurred_at=record.occurred_at,
        amount_minor=record.amount_minor,
        currency=record.currency,
        amount_text=format_money(record.amount_minor, record.currency),
        description=_description(record, facts),
        status=status,
        status_text=status_text,
        refunded=record.refunded_at is not None,
        intro=record.intro,
        period_start=record.period_start,
        period_end=record.period_end,
    )


def reader_payments(*, user_id: int) -> list[PaymentLine]:
    """Every payment of this reader, newest first."""
    records = (
        PaymentRecord.objects.filter(user_id=user_id)
        .select_related("subscription__plan", "subscription__offer")
        .order_by("-occurred_at", "-pk")
    )
    zone = publication_zone()
    return [payment_line(record, zone=zone) for record in records]
