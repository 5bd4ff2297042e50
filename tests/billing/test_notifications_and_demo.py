"""Billing e-mails from the sweep task, and the demo catalogue and accounts."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.formats import date_format

from masthead.access.models import Entitlement
from masthead.accounts.models import User
from masthead.billing.demo import build_demo_billing
from masthead.billing.models import Offer, Plan, Provider, Subscription, SubscriptionStatus
from masthead.billing.selectors import featured_offer_summary
from masthead.billing.services import sync_entitlements

pytestmark = pytest.mark.django_db


def _demo_sub(user, plan, **facts):
    subscription = Subscription.objects.create(user=user, plan=plan, provider=Provider.DEMO, **facts)
    sync_entitlements(subscription=subscription)
    return subscription


def test_sweep_sends_welcome_and_trial_reminder_once(reader, monthly):
    now = timezone.now()
    _demo_sub(
        reader,
        monthly,
        status=SubscriptionStatus.TRIALING,
        started_at=now - timedelta(days=12),
        trial_end=now + timedelta(days=2),
        current_period_end=now + timedelta(days=2),
    )

    call_command("billing_sweep", stdout=io.StringIO())
    call_command("billing_sweep", stdout=io.StringIO())

    trial_ends = date_format(timezone.localtime(now + timedelta(days=2), ZoneInfo("America/New_York")))
    assert sorted(m.subject for m in mail.outbox) == [
        "Welcome to The Meridian Ledger",
        f"Your free trial of The Meridian Ledger ends on {trial_ends}",
    ]
    assert all(m.to == ["reader@example.com"] for m in mail.outbox)


def test_sweep_ends_a_canceled_demo_subscription_and_says_so(reader, monthly):
    now = timezone.now()
    subscription = _demo_sub(
        reader,
        monthly,
        status=SubscriptionStatus.CANCELED,
        cancel_at_period_end=True,
        started_at=now - timedelta(days=40),
        current_period_end=now - timedelta(hours=1),
        welcome_sent_at=now - timedelta(days=40),
    )

    call_command("billing_sweep", stdout=io.StringIO())

    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.EXPIRED
    assert [m.subject for m in mail.outbox] == ["Your subscription to The Meridian Ledger has ended"]


def test_readers_who_opted_out_get_no_welcome_but_do_hear_of_failed_payments(reader, monthly):
    reader.billing_emails = False
    reader.save()
    now = timezone.now()
    _demo_sub(
        reader,
        monthly,
        status=SubscriptionStatus.PAST_DUE,
        started_at=now - timedelta(days=40),
        current_period_end=now + timedelta(days=1),
        payment_failed_at=now,
    )

    call_command("billing_sweep", stdout=io.StringIO())

    assert [m.subject for m in mail.outbox] == ["We could not take your payment for The Meridian Ledger"]


def test_build_demo_billing_is_idempotent_and_sets_up_each_reader_state(settings):
    out = io.StringIO()
    build_demo_billing(out)
    build_demo_billing(out)

    assert Plan.objects.count() == 2 and Offer.objects.count() == 1
    assert "password for all" in out.getvalue()
    emails = ["reader", "subscriber", "trial", "expired-trial", "lapsed"]
    for name in emails:
        user = User.objects.get(email=f"{name}@example.com")
        assert EmailAddress.objects.get(user=user).verified
    now = timezone.now()

    def rights(name):
        user = User.objects.get(email=f"{name}@example.com")
        return sorted(
            (e.kind, e.ends_at is None or e.ends_at > now) for e in Entitlement.objects.filter(user=user)
        )

    assert rights("reader") == []
    assert rights("subscriber") == [("subscription", True)]
    assert rights("trial") == [("trial", True)]
    assert rights("expired-trial") == [("trial", False)]
    assert rights("lapsed") == [("subscription", False)]
    summary = featured_offer_summary()
    assert summary is not None and summary.headline == "3 months for $9"
    with time_machine.travel(summary.ends_at + timedelta(seconds=1)):
        assert featured_offer_summary().headline.startswith("Subscribe for")


def test_no_demo_accounts_outside_demo_mode(settings):
    settings.MASTHEAD_DEMO = False
    build_demo_billing(io.StringIO())
    assert not User.objects.exists()
    assert Plan.objects.count() == 2
