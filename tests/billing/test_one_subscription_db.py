"""One current subscription at the database level: the migration that deals with readers who
already have several, and two completions for one reader racing on real connections."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from masthead.access.models import Entitlement
from masthead.billing import services
from masthead.billing.duplicates import settle_pending_duplicates
from masthead.billing.models import (
    DuplicateOutcome,
    DuplicatePayment,
    Interval,
    Plan,
    RefusedReason,
    Subscription,
    SubscriptionStatus,
)

BEFORE = [("billing", "0002_duplicate_payments")]
AFTER = [("billing", "0004_one_current_subscription_per_reader")]


def _migrate(billing_target):
    """Move billing to `billing_target` (and unapply what depends on a later billing migration,
    e.g. an experiment variant's offer); the models as the database now stands."""
    MigrationExecutor(connection).migrate(billing_target)
    applied = MigrationExecutor(connection)  # re-reads which migrations are applied now
    return applied._create_project_state(with_applied_migrations=True).apps


def _migrate_everything_to_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_best_subscription_and_refuses_the_others(capsys):
    # given: the schema before the rule, and a reader with three current subscriptions
    old = _migrate(BEFORE)
    try:
        User, Plan_, Sub = (
            old.get_model(*m)
            for m in [("accounts", "User"), ("billing", "Plan"), ("billing", "Subscription")]
        )
        OldEntitlement = old.get_model("access", "Entitlement")
        now = timezone.now()
        reader = User.objects.create(email="three@example.com", password="!")
        other = User.objects.create(email="one@example.com", password="!")
        monthly = Plan_.objects.create(name="Monthly", interval="month", price_minor=1500, currency="USD")
        annual = Plan_.objects.create(name="Annual", interval="year", price_minor=15000, currency="USD")
        common = {"user": reader, "provider": "manual", "started_at": now - timedelta(days=3)}
        trial = Sub.objects.create(
            plan=monthly, status="trialing", current_period_end=now + timedelta(days=11), **common
        )
        month = Sub.objects.create(
            plan=monthly, status="active", current_period_end=now + timedelta(days=27), **common
        )
        year = Sub.objects.create(
            plan=annual, status="active", current_period_end=now + timedelta(days=362), **common
        )
        alone = Sub.objects.create(
            user=other,
            plan=monthly,
            provider="manual",
            status="active",
            current_period_end=now + timedelta(days=5),
        )
        OldEntitlement.objects.create(
            user=reader,
            kind="trial",
            starts_at=now - timedelta(days=3),
            ends_at=now + timedelta(days=11),
            source_ref=f"billing:subscription:{trial.pk}:trial",
        )
    finally:
        # when: migrating to the rule (and on to the latest, as the other tests expect it)
        _migrate(AFTER)
        _migrate_everything_to_latest()

    # then: the paid subscription that lasts longest is kept, the others are refused and ended
    assert Subscription.objects.get(pk=year.pk).status == SubscriptionStatus.ACTIVE
    for refused in (trial, month):
        row = Subscription.objects.get(pk=refused.pk)
        assert (row.status, row.refused_reason) == (
            SubscriptionStatus.EXPIRED,
            RefusedReason.ALREADY_SUBSCRIBED,
        )
    assert Subscription.objects.get(pk=alone.pk).status == SubscriptionStatus.ACTIVE
    [ended] = Entitlement.objects.filter(source_ref=f"billing:subscription:{trial.pk}:trial")
    assert ended.ends_at <= timezone.now()
    duplicates = DuplicatePayment.objects.filter(user_id=reader.pk)
    assert {d.subscription_id for d in duplicates} == {trial.pk, month.pk}
    assert {d.kept_subscription_id for d in duplicates} == {year.pk}
    assert all(d.outcome == DuplicateOutcome.PENDING and "billing.0003" in d.note for d in duplicates)
    report = capsys.readouterr().out
    assert f"reader {reader.pk} had several current subscriptions: kept {year.pk}" in report
    assert f"refused {trial.pk} (trialing" in report and f"refused {month.pk} (active" in report
    # ... and the sweep settles them (staff grants: nothing was paid through us)
    assert settle_pending_duplicates() == 2
    assert set(duplicates.values_list("outcome", flat=True)) == {DuplicateOutcome.NOTHING_PAID}


@pytest.mark.django_db(transaction=True)
def test_two_completions_at_once_keep_one_without_an_error(django_user_model, monkeypatch, settings):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs write transactions one at a time (IMMEDIATE); the race needs PostgreSQL")
    # given: two demo checkouts of one reader, and a completion that dawdles once it holds the lock
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    reader = django_user_model.objects.create_user(email="racer@example.com", password="a-long-password-1")
    # (two plans: a shared plan row would be locked by the completion too and hide the race)
    plans = [
        Plan.objects.create(name="Annual", interval=Interval.YEAR, price_minor=15000, currency="USD"),
        Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, currency="USD"),
    ]
    pending = [Subscription.objects.create(user=reader, plan=plan, provider="demo") for plan in plans]
    real_refusal = services.refusal_for

    def slow_refusal(**kwargs):
        time.sleep(0.3)  # without the reader lock both would decide "no other subscription" here
        return real_refusal(**kwargs)

    monkeypatch.setattr(services, "refusal_for", slow_refusal)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def complete(subscription):
        try:
            start.wait(timeout=5)
            services.complete_demo_checkout(subscription=subscription)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    # when
    threads = [threading.Thread(target=complete, args=(s,)) for s in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    # then
    assert errors == []
    assert Subscription.objects.filter(user=reader).current().count() == 1
    assert (
        Subscription.objects.filter(user=reader, refused_reason=RefusedReason.ALREADY_SUBSCRIBED).count() == 1
    )
