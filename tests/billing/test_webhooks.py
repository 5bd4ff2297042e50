"""Stripe webhooks through the real SDK signature check: bad signatures, duplicates, any order."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime

import pytest

from masthead.access.entitlements import active_entitlements
from masthead.access.models import Entitlement
from masthead.accounts.models import User
from masthead.billing.models import PaymentRecord, Provider, Subscription, SubscriptionStatus, WebhookEvent
from tests.billing.stripe_fakes import event, post_event, subscription_object

pytestmark = pytest.mark.django_db

T0 = 1_900_000_000  # 2030-03-17, a fixed Stripe timestamp
DAY = 86_400


def at(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def pending(reader, plan) -> Subscription:
    return Subscription.objects.create(user=reader, plan=plan, provider=Provider.STRIPE)


def another_reader(n: int) -> User:
    # One reader per run: the same reader's second trial would (rightly) be refused.
    return User.objects.create_user(email=f"reader-{n}@example.com", password="a-long-reader-password")


def lifecycle(sub: Subscription, tag: str) -> list[dict]:
    """A trial that converts, has a failed renewal, is canceled at period end, then ends."""
    base = dict(sub_id=f"sub_{tag}", customer=f"cus_{tag}", local_ref=sub.pk, start=T0)
    trial_end = T0 + 14 * DAY
    period_2 = trial_end + 30 * DAY
    return [
        event(
            "checkout.session.completed",
            {
                "id": f"cs_{tag}",
                "object": "checkout.session",
                "mode": "subscription",
                "client_reference_id": str(sub.pk),
                "customer": f"cus_{tag}",
                "subscription": f"sub_{tag}",
                "status": "complete",
                "payment_status": "no_payment_required",
            },
            created=T0 + 1,
            event_id=f"evt_{tag}_checkout",
        ),
        event(
            "customer.subscription.created",
            subscription_object(
                **base,
                status="trialing",
                trial_end=trial_end,
                period_end=trial_end,
            ),
            created=T0 + 2,
            event_id=f"evt_{tag}_created",
        ),
        event(
            "customer.subscription.updated",
            subscription_object(
                **base,
                status="active",
                trial_end=trial_end,
                period_end=period_2,
            ),
            created=trial_end + 60,
            event_id=f"evt_{tag}_active",
        ),
        event(
            "invoice.payment_failed",
            {
                "id": f"in_{tag}_2",
                "object": "invoice",
                "customer": f"cus_{tag}",
                "amount_due": 1500,
                "currency": "usd",
                "parent": {"subscription_details": {"subscription": f"sub_{tag}"}},
            },
            created=period_2 + 100,
            event_id=f"evt_{tag}_failed",
        ),
        event(
            "customer.subscription.updated",
            subscription_object(
                **base,
                status="past_due",
                trial_end=trial_end,
                period_end=period_2 + 30 * DAY,
            ),
            created=period_2 + 120,
            event_id=f"evt_{tag}_past_due",
        ),
        event(
            "invoice.paid",
            {
                "id": f"in_{tag}_2",
                "object": "invoice",
                "customer": f"cus_{tag}",
                "amount_paid": 1500,
                "currency": "usd",
                "parent": {"subscription_details": {"subscription": f"sub_{tag}"}},
            },
            created=period_2 + 3 * DAY,
            event_id=f"evt_{tag}_paid",
        ),
        event(
            "customer.subscription.updated",
            subscription_object(
                **base,
                status="active",
                trial_end=trial_end,
                period_end=period_2 + 30 * DAY,
                cancel_at_period_end=True,
            ),
            created=period_2 + 4 * DAY,
            event_id=f"evt_{tag}_cancel",
        ),
        event(
            "customer.subscription.deleted",
            subscription_object(
                **base,
                status="canceled",
                trial_end=trial_end,
                period_end=period_2 + 30 * DAY,
                cancel_at_period_end=True,
                ended_at=period_2 + 30 * DAY,
            ),
            created=period_2 + 30 * DAY + 5,
            event_id=f"evt_{tag}_deleted",
        ),
    ]


def final_state(sub: Subscription) -> tuple:
    sub.refresh_from_db()
    rights = sorted(
        (e.source_ref.rsplit(":", 1)[1], e.kind, e.starts_at, e.ends_at)
        for e in Entitlement.objects.filter(user=sub.user, source_ref__startswith=sub.source_ref + ":")
    )
    payments = sorted((p.amount_minor, p.paid) for p in PaymentRecord.objects.filter(subscription=sub))
    return (
        sub.status,
        sub.trial_end,
        sub.current_period_end,
        sub.cancel_at_period_end,
        sub.ended_at,
        sub.provider_customer_id,
        sub.payment_failed_at,
        tuple(rights),
        tuple(payments),
    )


def test_bad_signature_is_refused_and_changes_nothing(client, stripe_settings, reader, monthly):
    sub = pending(reader, monthly)
    body = lifecycle(sub, "bad")[1]

    forged = post_event(client, body, secret="whsec_someone_else")
    unsigned = client.post("/billing/stripe/webhook/", data="{}", content_type="application/json")
    replayed_late = post_event(client, body, timestamp=int(time.time()) - 301)

    assert [forged.status_code, unsigned.status_code, replayed_late.status_code] == [400, 400, 400]
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.INCOMPLETE
    assert not WebhookEvent.objects.exists()
    assert not Entitlement.objects.exists()


def test_a_signed_trial_event_grants_a_trial_until_its_end(client, stripe_settings, reader, monthly):
    sub = pending(reader, monthly)

    response = post_event(client, lifecycle(sub, "one")[1])

    assert response.status_code == 200
    sub.refresh_from_db()
    assert (sub.status, sub.provider_subscription_id) == (SubscriptionStatus.TRIALING, "sub_one")
    [trial] = active_entitlements(user_id=reader.pk, now=at(T0 + DAY))
    assert (trial.kind, trial.ends_at) == ("trial", at(T0 + 14 * DAY))
    assert active_entitlements(user_id=reader.pk, now=at(T0 + 14 * DAY)) == []


def test_duplicate_deliveries_have_one_effect(client, stripe_settings, reader, monthly):
    sub = pending(reader, monthly)
    paid = lifecycle(sub, "dup")[5]

    responses = [post_event(client, paid) for _ in range(3)]

    assert [r.json()["duplicate"] for r in responses] == [False, True, True]
    assert WebhookEvent.objects.filter(event_id=paid["id"]).count() == 1
    assert PaymentRecord.objects.filter(provider_invoice_id="in_dup_2").count() == 1


def test_an_old_update_after_the_deletion_does_not_revive_access(client, stripe_settings, reader, monthly):
    sub = pending(reader, monthly)
    events = lifecycle(sub, "late")

    post_event(client, events[7])  # deleted
    post_event(client, events[2])  # an earlier "active" update, delivered late

    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.EXPIRED
    assert active_entitlements(user_id=reader.pk, now=sub.ended_at) == []


def test_every_order_of_the_lifecycle_ends_in_the_same_state(client, stripe_settings, reader, monthly):
    # Five events in every order (120 runs) plus the invoices and the checkout in the natural order.
    core = [1, 2, 4, 6, 7]
    reference = None
    for n, order in enumerate(itertools.permutations(core)):
        sub = pending(another_reader(n), monthly)
        events = lifecycle(sub, f"p{n}")
        sequence = [events[0], events[3], events[5]] + [events[i] for i in order]
        for body in sequence:
            assert post_event(client, body).status_code == 200
        state = final_state(sub)[:1] + final_state(sub)[1:]
        state = (state[0], *state[1:5], state[6], tuple((r[0], r[1], r[3]) for r in state[7]), state[8])
        if reference is None:
            reference = state
        assert state == reference, f"order {order} ended differently"
    assert reference[0] == SubscriptionStatus.EXPIRED
    # The reader had a trial, then paid access that ended with the subscription.
    assert [(part, kind) for part, kind, _end in reference[6]] == [
        ("paid", "subscription"),
        ("trial", "trial"),
    ]


def test_whole_lifecycle_shuffled_including_invoices_and_checkout(client, stripe_settings, reader, monthly):
    import random

    rng = random.Random(20261129)
    results = set()
    for n in range(40):
        sub = pending(another_reader(n), monthly)
        events = lifecycle(sub, f"s{n}")
        rng.shuffle(events)
        for body in events:
            post_event(client, body)
        state = final_state(sub)
        results.add((state[0], *state[1:5], state[6], tuple((r[0], r[1], r[3]) for r in state[7]), state[8]))
    assert len(results) == 1


def test_past_due_keeps_access_for_the_grace_days(client, stripe_settings, reader, monthly, settings):
    settings.MASTHEAD_PAST_DUE_GRACE_DAYS = 5
    sub = pending(reader, monthly)
    events = lifecycle(sub, "grace")

    post_event(client, events[4])

    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.PAST_DUE
    end = sub.current_period_end
    assert active_entitlements(user_id=reader.pk, now=end + (at(5 * DAY - 1) - at(0)))
    assert not active_entitlements(user_id=reader.pk, now=end + (at(5 * DAY) - at(0)))
