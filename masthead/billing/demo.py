"""Demo catalogue and accounts for `make demo` (called by `manage.py build_demo`). Idempotent."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TextIO

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masthead.accounts.models import User
from masthead.billing.models import Interval, Offer, Plan, Provider, Subscription, SubscriptionStatus
from masthead.billing.services import add_interval, sync_entitlements

DEMO_PASSWORD = "ledger-demo-2024"  # noqa: S105 - printed on purpose, demo mode only
BENEFITS = ["Unlimited articles on the web", "The apps for phone and tablet", "The daily newsletter"]


def _plan(name: str, interval: str, price_minor: int, trial_days: int, order: int) -> Plan:
    plan, _ = Plan.objects.update_or_create(
        name=name,
        defaults={
            "interval": interval,
            "price_minor": price_minor,
            "currency": "USD",
            "benefits": BENEFITS,
            "trial_days": trial_days,
            "active": True,
            "sort_order": order,
        },
    )
    return plan


def _reader(email: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD)
    else:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _subscription(user: User, plan: Plan, **facts: object) -> Subscription:
    subscription = Subscription.objects.filter(user=user, provider=Provider.DEMO).first()
    if subscription is None:
        subscription = Subscription(user=user, provider=Provider.DEMO, plan=plan)
    subscription.plan = plan
    for name, value in facts.items():
        setattr(subscription, name, value)
    # The demo accounts are set up, not greeted: no welcome or ending e-mails on the first sweep.
    now = timezone.now()
    subscription.welcome_sent_at = subscription.ended_notified_at = subscription.trial_reminder_sent_at = now
    subscription.save()
    sync_entitlements(subscription=subscription)
    return subscription


def _month_ahead(now: datetime) -> datetime:
    return (now + timedelta(days=31)).replace(hour=23, minute=59, second=0, microsecond=0)


@transaction.atomic
def build_demo_billing(stdout: TextIO) -> None:
    now = timezone.now()
    monthly = _plan("Monthly", Interval.MONTH, 1500, 14, 1)
    annual = _plan("Annual", Interval.YEAR, 15000, 0, 2)
    Offer.objects.update_or_create(
        headline="3 months for $9",
        defaults={
            "plan": monthly,
            "intro_price_minor": 300,
            "intro_intervals": 3,
            "starts_at": now - timedelta(days=1),
            "ends_at": _month_ahead(now),
            "featured": True,
        },
    )
    stdout.write("Billing: plans Monthly ($15) and Annual ($150), offer '3 months for $9'.\n")
    if not settings.MASTHEAD_DEMO:
        return
    _reader("reader@example.com")
    _subscription(
        _reader("subscriber@example.com"),
        annual,
        status=SubscriptionStatus.ACTIVE,
        started_at=now - timedelta(days=40),
        trial_end=None,
        current_period_end=add_interval(now - timedelta(days=40), Interval.YEAR),
        cancel_at_period_end=False,
        ended_at=None,
    )
    _subscription(
        _reader("trial@example.com"),
        monthly,
        status=SubscriptionStatus.TRIALING,
        started_at=now - timedelta(days=4),
        trial_end=now + timedelta(days=10),
        current_period_end=now + timedelta(days=10),
        cancel_at_period_end=False,
        ended_at=None,
    )
    _subscription(
        _reader("expired-trial@example.com"),
        monthly,
        status=SubscriptionStatus.EXPIRED,
        started_at=now - timedelta(days=20),
        trial_end=now - timedelta(days=6),
        current_period_end=now - timedelta(days=6),
        cancel_at_period_end=True,
        ended_at=now - timedelta(days=6),
    )
    lapsed_end = now - timedelta(days=30)
    _subscription(
        _reader("lapsed@example.com"),
        monthly,
        status=SubscriptionStatus.EXPIRED,
        started_at=lapsed_end - timedelta(days=92),
        trial_end=None,
        current_period_end=lapsed_end,
        cancel_at_period_end=True,
        ended_at=lapsed_end,
    )
    stdout.write(
        "Demo readers (password for all: "
        f"{DEMO_PASSWORD}): reader@, subscriber@, trial@, expired-trial@, lapsed@example.com\n"
    )
