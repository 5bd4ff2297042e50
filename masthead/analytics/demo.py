"""Believable traffic for `make demo` and tests: readers arriving from search, social and the
newsletter, reading to the wall, registering, subscribing (some on an offer, some on a trial),
renewing, churning and being refunded — as raw events and the matching billing records.

Deterministic for a seed. The billing records are written with the analytics receivers muted,
because the generator writes each event itself at the moment it happened.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from masthead.analytics import keys
from masthead.analytics.models import Event, Kind
from masthead.analytics.receivers import muted

REFERRERS = (
    ("search", 40),
    ("social", 20),
    ("newsletter", 15),
    ("direct", 15),
    ("internal", 5),
    ("other", 5),
)


@dataclass
class Generated:
    events: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    # (kind, article the count belongs to) -> count: the article viewed, or the last one read.
    by_article: Counter[tuple[str, int | None]] = field(default_factory=Counter)
    subscriptions: list[int] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def add_months(moment: datetime, months: int) -> datetime:
    from masthead.billing.periods import add_intervals

    return add_intervals(moment, "month", months)


def generate(
    *,
    days: int = 90,
    readers: int = 2000,
    seed: int = 14,
    now: datetime | None = None,
    anonymous_limit: int = 3,
    registered_limit: int = 5,
    experiment: str = "",
    variants: tuple[str, ...] = (),
) -> Generated:
    from masthead.billing.models import Offer, PaymentRecord, Plan, Subscription, SubscriptionStatus
    from masthead.news.models import ArticlePage

    rng = random.Random(seed)
    now = now or timezone.now()
    articles = list(ArticlePage.objects.live().filter(sponsor__isnull=True).values_list("pk", flat=True))
    plans = list(Plan.objects.filter(active=True))
    offers = list(Offer.objects.select_related("plan").all())
    out = Generated()
    if not articles or not plans:
        return out
    popular = sorted(articles, key=lambda _pk: rng.random())
    weights = [1 / (i + 1) for i in range(len(popular))]  # a few stories carry most of the traffic
    tag = secrets.token_hex(3)
    events: list[Event] = []
    User = get_user_model()

    def add(kind: str, at: datetime, reader: str, **fields: Any) -> Event:
        event = Event(kind=kind, at=at, reader=reader, **fields)
        events.append(event)
        out.by_kind[kind] += 1
        out.by_article[(kind, fields.get("article_id") or fields.get("last_touch_article_id"))] += 1
        return event

    with muted(), transaction.atomic():
        for n in range(readers):
            start = now - timedelta(days=days) + timedelta(seconds=rng.randrange(days * 86400 - 3600))
            referrer = _pick(rng, REFERRERS)
            utm = (
                {
                    "utm_source": "morning-briefing",
                    "utm_medium": "email",
                    "utm_campaign": f"issue-{rng.randrange(60)}",
                }
                if referrer == "newsletter"
                else {}
            )
            variant = (
                {"experiment": experiment, "variant": rng.choice(variants)} if experiment and variants else {}
            )
            reader = keys.reader_hash(f"demo:{seed}:{n}")
            at = start
            reads = rng.choices([1, 2, 3, 4, 5, 6], weights=[30, 20, 15, 15, 10, 10])[0]
            first = last = None
            wall_view: Event | None = None
            for k in range(1, reads + 1):
                if at >= now:
                    break
                article = rng.choices(popular, weights=weights)[0]
                first = first or article
                last = article
                walled = k > anonymous_limit
                view = {
                    "article_id": article,
                    "reader_kind": "anonymous",
                    "access_level": "metered",
                    "decision": "registration-required" if walled else "metered",
                    "meter_position": None if walled else k,
                    "meter_limit": anonymous_limit,
                    "prompt": "registration-wall"
                    if walled
                    else ("metered-last" if k == anonymous_limit else "metered-remaining"),
                    "referrer_class": referrer if k == 1 else "internal",
                    **utm,
                    **variant,
                }
                wall_view = add(Kind.VIEW, at, reader, **view)
                if walled:
                    add(Kind.WALL, at, reader, **view)
                    break
                at += timedelta(minutes=rng.randrange(2, 600))
            if wall_view is None or wall_view.prompt != "registration-wall":
                continue
            # At the registration wall: some register.
            registers = rng.random() < 0.22 + (0.08 if referrer == "newsletter" else 0)
            if not registers or at >= now:
                continue
            touch = {
                "last_touch_article_id": last,
                "first_touch_article_id": first,
                "referrer_class": referrer,
                "meter_position": anonymous_limit,
                "meter_limit": anonymous_limit,
                **utm,
                **variant,
            }
            add(Kind.PROMPT_CLICK, at + timedelta(seconds=5), reader, article_id=last, **touch)
            user = User.objects.create_user(email=f"demo-reader-{tag}-{n}@example.invalid", password=None)
            out.accounts.append(user.pk)
            reader = keys.account_reader(user.pk)
            at += timedelta(minutes=2)
            for event in events[-12:]:
                if event.reader == keys.reader_hash(f"demo:{seed}:{n}"):
                    event.account_id = user.pk
            add(Kind.REGISTRATION, at, reader, account_id=user.pk, **touch)
            if rng.random() < 0.8:
                add(Kind.VERIFICATION, at + timedelta(minutes=3), reader, account_id=user.pk, **touch)
            if rng.random() < 0.3:
                add(Kind.NEWSLETTER_SIGNUP, at + timedelta(minutes=4), reader, account_id=user.pk, **touch)
            # Registered: reads on to the offer wall.
            for k in range(1, rng.randrange(2, registered_limit + 3)):
                at += timedelta(hours=rng.randrange(3, 72))
                if at >= now:
                    break
                article = rng.choices(popular, weights=weights)[0]
                last = article
                walled = k > registered_limit
                view = {
                    "article_id": article,
                    "account_id": user.pk,
                    "reader_kind": "registered",
                    "access_level": "metered",
                    "decision": "subscription-required" if walled else "metered",
                    "meter_position": None if walled else k,
                    "meter_limit": registered_limit,
                    "prompt": "offer" if walled else "metered-remaining",
                    "referrer_class": "internal",
                    **variant,
                }
                add(Kind.VIEW, at, reader, **view)
                if walled:
                    add(Kind.WALL, at, reader, **view)
            if at >= now or rng.random() > 0.45:
                continue
            offer = rng.choice(offers) if offers and rng.random() < 0.5 else None
            plan = offer.plan if offer else rng.choice(plans)
            touch.update({"last_touch_article_id": last, "meter_position": registered_limit})
            touch["meter_limit"] = registered_limit
            money = {"offer_id": offer.pk if offer else None, "plan_id": plan.pk, "currency": plan.currency}
            add(
                Kind.OFFER_CLICK,
                at + timedelta(seconds=10),
                reader,
                account_id=user.pk,
                article_id=last,
                **touch,
                **money,
            )
            at += timedelta(minutes=1)
            sub = Subscription(
                user=user, plan=plan, offer=offer, provider="demo", status=SubscriptionStatus.INCOMPLETE
            )
            sub.price_minor, sub.currency, sub.interval = plan.price_minor, plan.currency, plan.interval
            if offer:
                sub.offer_headline = offer.headline
                sub.intro_price_minor, sub.intro_intervals = offer.intro_price_minor, offer.intro_intervals
            add(Kind.CHECKOUT_STARTED, at, reader, account_id=user.pk, **touch, **money)
            if rng.random() < 0.25:  # walked away from the payment page
                sub.save()
                Subscription.objects.filter(pk=sub.pk).update(created_at=at)
                add(
                    Kind.CHECKOUT_ABANDONED,
                    at + timedelta(hours=24),
                    reader,
                    account_id=user.pk,
                    **touch,
                    **money,
                )
                continue
            at += timedelta(minutes=3)
            trial = offer is None and plan.trial_days > 0 and rng.random() < 0.5
            sub.started_at = at
            sub.status = SubscriptionStatus.ACTIVE
            if offer:
                sub.intro_ends_at = (
                    add_months(at, offer.intro_intervals) if plan.interval == "month" else None
                )
            amount = sub.intro_price_minor if offer else plan.price_minor
            paid_from = at
            if trial:
                sub.trial_end = at + timedelta(days=plan.trial_days)
                paid_from = sub.trial_end
                sub.status = SubscriptionStatus.TRIALING
                add(Kind.TRIAL_STARTED, at, reader, account_id=user.pk, **touch, **money, amount_minor=0)
            else:
                add(
                    Kind.SUBSCRIPTION_STARTED,
                    at,
                    reader,
                    account_id=user.pk,
                    **touch,
                    **money,
                    amount_minor=amount,
                )
            # Its life: monthly (or yearly) payments until it churns or now.
            churn_after = rng.choices([1, 2, 3, 4, 99], weights=[10, 8, 6, 5, 71])[0]
            step = 12 if plan.interval == "year" else 1
            payments: list[PaymentRecord] = []
            period_start, i = paid_from, 0
            ended_at = None
            if trial and rng.random() < 0.35 and sub.trial_end is not None and sub.trial_end < now:
                ended_at = sub.trial_end
                add(Kind.TRIAL_EXPIRED, ended_at, reader, account_id=user.pk, **touch, **money)
            while ended_at is None and period_start < now:
                if i >= churn_after:
                    ended_at = period_start
                    add(
                        Kind.CANCELLATION,
                        period_start - timedelta(days=5),
                        reader,
                        account_id=user.pk,
                        **touch,
                        **money,
                    )
                    add(Kind.LAPSE, period_start, reader, account_id=user.pk, **touch, **money)
                    break
                intro = sub.intro_ends_at is not None and period_start < sub.intro_ends_at
                price = (sub.intro_price_minor if intro else plan.price_minor) or 0
                payments.append(
                    PaymentRecord(
                        user=user,
                        provider="demo",
                        provider_invoice_id=f"demo_an_{tag}_{n}_{i}",
                        period_start=period_start,
                        period_end=add_months(period_start, step),
                        intro=intro,
                        amount_minor=price,
                        currency=plan.currency,
                        paid=True,
                        occurred_at=period_start,
                        description=sub.offer_headline or plan.name,
                    )
                )
                if trial and i == 0:
                    add(
                        Kind.TRIAL_CONVERTED,
                        period_start,
                        reader,
                        account_id=user.pk,
                        **touch,
                        **money,
                        amount_minor=price,
                    )
                elif i > 0:
                    add(
                        Kind.RENEWAL,
                        period_start,
                        reader,
                        account_id=user.pk,
                        **touch,
                        **money,
                        amount_minor=price,
                    )
                i += 1
                period_start = add_months(period_start, step)
            if ended_at is not None:
                sub.status, sub.ended_at = SubscriptionStatus.EXPIRED, ended_at
                sub.current_period_end = ended_at
            else:
                sub.current_period_end = period_start if not (trial and paid_from > now) else sub.trial_end
            # A few refunds: the first payment handed back within the week.
            if payments and rng.random() < 0.04:
                payments[0].refunded_at = payments[0].occurred_at + timedelta(days=2)
            sub.save()
            for payment in payments:
                payment.subscription = sub
            PaymentRecord.objects.bulk_create(payments)
            out.subscriptions.append(sub.pk)
        Event.objects.bulk_create(events, batch_size=1000)
    out.events = len(events)
    return out


def build_demo_analytics(stdout: Any, *, readers: int = 3000) -> None:
    """`make demo`: 90 days of traffic once (a second build keeps what the first made), rolled up."""
    from masthead.analytics.rollup import roll_up

    if (
        get_user_model()
        .objects.filter(email__startswith="demo-reader-", email__endswith="@example.invalid")
        .exists()
    ):
        stdout.write("Analytics demo traffic already in place.")
        return
    made = generate(days=90, readers=readers, seed=14)
    stdout.write(
        f"Analytics demo: {made.events} events, {len(made.accounts)} reader accounts, "
        f"{len(made.subscriptions)} subscriptions over 90 days. {roll_up()}"
    )
