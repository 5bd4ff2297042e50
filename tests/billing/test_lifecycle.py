"""Subscription states → access windows (pure; no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from masthead.billing.lifecycle import RENEWAL_LEEWAY, SubscriptionFacts, access_windows

START = datetime(2030, 1, 1, tzinfo=UTC)
TRIAL_END = START + timedelta(days=14)
PERIOD_END = START + timedelta(days=44)
GRACE = timedelta(days=7)


def facts(status, *, trial_end=None, period_end=PERIOD_END, cancel=False, ended_at=None, kind="subscription"):
    return SubscriptionFacts(
        status=status,
        started_at=START,
        trial_end=trial_end,
        current_period_end=period_end,
        cancel_at_period_end=cancel,
        ended_at=ended_at,
        paid_kind=kind,
    )


def windows(f):
    return [(w.part, w.kind, w.starts_at, w.ends_at) for w in access_windows(f, grace=GRACE)]


def test_trialing_gives_a_trial_until_the_trial_end():
    assert windows(facts("trialing", trial_end=TRIAL_END, period_end=TRIAL_END)) == [
        ("trial", "trial", START, TRIAL_END)
    ]


def test_active_gives_paid_access_to_the_period_end_plus_a_renewal_leeway():
    assert windows(facts("active")) == [("paid", "subscription", START, PERIOD_END + RENEWAL_LEEWAY)]


def test_past_due_keeps_access_for_the_grace_days():
    assert windows(facts("past_due")) == [("paid", "subscription", START, PERIOD_END + GRACE)]


def test_canceled_keeps_access_exactly_to_the_period_end():
    assert windows(facts("canceled", cancel=True)) == [("paid", "subscription", START, PERIOD_END)]


def test_canceled_during_the_trial_ends_with_the_trial_and_nothing_paid():
    assert windows(facts("canceled", trial_end=TRIAL_END, period_end=TRIAL_END, cancel=True)) == [
        ("trial", "trial", START, TRIAL_END)
    ]


def test_a_trial_that_ended_unconverted_leaves_only_an_ended_trial():
    ended = facts("expired", trial_end=TRIAL_END, period_end=TRIAL_END, ended_at=TRIAL_END)
    assert windows(ended) == [("trial", "trial", START, TRIAL_END)]


def test_a_converted_then_ended_subscription_leaves_trial_then_paid():
    ended = facts("expired", trial_end=TRIAL_END, ended_at=PERIOD_END)
    assert windows(ended) == [
        ("trial", "trial", START, TRIAL_END),
        ("paid", "subscription", TRIAL_END, PERIOD_END),
    ]


def test_incomplete_gives_nothing_and_staff_grants_can_be_open_ended():
    assert windows(facts("incomplete")) == []
    assert windows(facts("active", period_end=None, kind="complimentary")) == [
        ("paid", "complimentary", START, None)
    ]
