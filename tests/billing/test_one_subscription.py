"""One current subscription per reader: three checkouts started, completed in every order.

A new reader starts three checkouts before completing any — Annual ($150), the "3 months for $9"
offer on Monthly, and Monthly with its 14-day trial — then completes them in some order. Exactly
one subscription is kept (the first completed); the others are canceled and refunded once, the
reader is told on /account/ and by e-mail, staff see it in the admin, and the database itself
refuses a second current subscription.
"""

from __future__ import annotations

import itertools
import time

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from masthead.access.models import Entitlement
from masthead.billing.duplicates import settle_duplicate, settle_pending_duplicates
from masthead.billing.models import (
    DuplicateOutcome,
    DuplicatePayment,
    Provider,
    RefusedReason,
    Subscription,
    SubscriptionStatus,
)
from masthead.billing.providers import stripe as stripe_provider
from masthead.billing.tasks import billing_sweep
from tests.billing.conftest import running_localstripe
from tests.billing.localstripe_checkout import CheckoutOverLocalstripe
from tests.billing.stripe_fakes import WEBHOOK_SECRET, event, post_event

pytestmark = pytest.mark.django_db

ORDERS = list(itertools.permutations(["annual", "offer", "monthly"]))


def _entitlement_refs(subscription: Subscription) -> list[str]:
    return list(
        Entitlement.objects.filter(source_ref__startswith=f"{subscription.source_ref}:").values_list(
            "source_ref", flat=True
        )
    )


def _start_three(client, *, annual, offer, monthly) -> dict[str, str]:
    return {
        "annual": client.post("/subscribe/", {"plan": annual.pk})["Location"],
        "offer": client.post("/subscribe/", {"offer": offer.pk})["Location"],
        "monthly": client.post("/subscribe/", {"plan": monthly.pk})["Location"],
    }


def _row_for(name: str, *, annual, offer, monthly) -> Subscription:
    rows = Subscription.objects.filter(plan=annual if name == "annual" else monthly)
    if name == "annual":
        return rows.get()
    return rows.get(offer=offer) if name == "offer" else rows.get(offer__isnull=True)


# --- through the web, with the demo provider ---------------------------------------------------

# What the demo takes when each checkout completes: a trial costs nothing only for a new reader,
# so the Monthly checkout completed second "charges" a full month (and is refunded).
DEMO_FIRST_CHARGE = {"annual": 15000, "offer": 300, "monthly": 1500}
DEMO_KEPT_STATUS = {"annual": "active", "offer": "active", "monthly": "trialing"}


@pytest.mark.parametrize("order", ORDERS, ids="-then-".join)
def test_three_demo_checkouts_completed_in_any_order_leave_one_subscription(
    client, reader, monthly, annual, offer, settings, django_capture_on_commit_callbacks, order
):
    # given: three checkouts started before any completes (each start saw no subscription)
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    checkout_pages = _start_three(client, annual=annual, offer=offer, monthly=monthly)
    assert Subscription.objects.filter(user=reader, status=SubscriptionStatus.INCOMPLETE).count() == 3

    # when: the reader completes them in `order`, then presses "complete" on each once more
    with django_capture_on_commit_callbacks(execute=True):
        for name in [*order, *order]:
            client.post(checkout_pages[name])

    # then: the first completed is the reader's one current subscription
    [kept] = Subscription.objects.filter(user=reader).current()
    assert kept == _row_for(order[0], annual=annual, offer=offer, monthly=monthly)
    assert kept.status == DEMO_KEPT_STATUS[order[0]]
    assert _entitlement_refs(kept)
    # ... and the two others were canceled and refunded once each, never giving access
    duplicates = {d.subscription_id: d for d in DuplicatePayment.objects.filter(user=reader)}
    assert len(duplicates) == 2
    for name in order[1:]:
        refused = _row_for(name, annual=annual, offer=offer, monthly=monthly)
        assert (refused.status, refused.refused_reason) == ("expired", RefusedReason.ALREADY_SUBSCRIBED)
        assert _entitlement_refs(refused) == []
        duplicate = duplicates[refused.pk]
        assert (duplicate.outcome, duplicate.refunded_minor, duplicate.currency) == (
            DuplicateOutcome.REFUNDED,
            DEMO_FIRST_CHARGE[name],
            "USD",
        )
        assert len(duplicate.provider_refund_ids) == 1
        assert duplicate.kept_subscription == kept
    # the reader is told on the account page and once by e-mail per refund
    page = client.get("/account/").content.decode()
    assert f'data-subscription-status="{kept.status}"' in page
    refund_mails = [m for m in mail.outbox if m.subject.startswith("We refunded a duplicate payment")]
    assert len(refund_mails) == 2
    for name in order[1:]:
        amount = f"${DEMO_FIRST_CHARGE[name] // 100:,}.00"
        assert f"We refunded a duplicate payment of {amount}" in page
        assert sum(f"We refunded a duplicate payment of {amount}." in m.body for m in refund_mails) == 1


def test_the_success_page_of_a_refused_checkout_says_so(client, reader, monthly, annual, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    first = client.post("/subscribe/", {"plan": annual.pk})["Location"]
    second = client.post("/subscribe/", {"plan": monthly.pk})["Location"]
    client.post(first)

    welcome = client.post(second, follow=True).content.decode()

    assert "You already have a subscription" in welcome
    assert "Welcome, subscriber" not in welcome


def test_a_second_trial_is_never_granted_by_the_demo(client, reader, monthly, settings):
    # given: a reader whose trial ended, with a Monthly checkout they started while still new
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    first = client.post("/subscribe/", {"plan": monthly.pk})["Location"]
    client.post(first)
    had = Subscription.objects.get(user=reader)
    had.status, had.ended_at = SubscriptionStatus.EXPIRED, had.trial_end
    had.save()

    # when
    again = client.post("/subscribe/", {"plan": monthly.pk})["Location"]
    client.post(again)

    # then: the new subscription is paid, not a second trial
    [current] = Subscription.objects.filter(user=reader).current()
    assert (current.status, current.trial_end) == (SubscriptionStatus.ACTIVE, None)
    assert not Entitlement.objects.filter(source_ref=f"{current.source_ref}:trial").exists()


def test_a_new_subscriber_offer_completed_after_another_subscription_is_refunded(
    client, reader, monthly, annual, offer, settings, django_capture_on_commit_callbacks
):
    # given: the offer checkout was started while the reader was new; an Annual subscription then
    # started and already ended (staff ended it) before the offer checkout completed
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    offer_page = client.post("/subscribe/", {"offer": offer.pk})["Location"]
    client.post(client.post("/subscribe/", {"plan": annual.pk})["Location"])
    Subscription.objects.filter(plan=annual).update(status=SubscriptionStatus.EXPIRED)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        client.post(offer_page)

    # then
    refused = Subscription.objects.get(offer=offer)
    assert refused.refused_reason == RefusedReason.OFFER_NOT_OPEN
    assert not Subscription.objects.filter(user=reader).current().exists()
    duplicate = DuplicatePayment.objects.get(subscription=refused)
    assert (duplicate.outcome, duplicate.refunded_minor) == (DuplicateOutcome.REFUNDED, 300)


# --- the database constraint ---------------------------------------------------------------------


def test_the_database_refuses_a_second_current_subscription(reader, monthly, annual, django_user_model):
    Subscription.objects.create(user=reader, plan=annual, provider=Provider.MANUAL, status="active")

    for status in ("trialing", "active", "past_due", "canceled"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Subscription.objects.create(user=reader, plan=monthly, provider=Provider.MANUAL, status=status)

    # Ended and unfinished ones are not limited, nor are other readers.
    for status in ("expired", "expired", "incomplete", "incomplete"):
        Subscription.objects.create(user=reader, plan=monthly, provider=Provider.MANUAL, status=status)
    other = django_user_model.objects.create_user(email="other@example.com", password="x-long-password-1")
    Subscription.objects.create(user=other, plan=monthly, provider=Provider.MANUAL, status="active")
    assert Subscription.objects.current().count() == 2


def test_staff_cannot_grant_a_second_current_subscription_in_the_admin(admin_client, reader, monthly, annual):
    Subscription.objects.create(user=reader, plan=annual, provider=Provider.DEMO, status="active")

    response = admin_client.post(
        "/django-admin/billing/subscription/add/",
        {
            "user": reader.pk,
            "plan": monthly.pk,
            "provider": "manual",
            "status": "active",
            "grant_kind": "complimentary",
            "refused_reason": "",
        },
    )

    assert response.status_code == 200
    assert "This reader already has a current subscription" in response.content.decode()
    assert Subscription.objects.filter(user=reader).count() == 1


# --- through Stripe's SDK: Checkout over localstripe, signed webhooks ---------------------------


@pytest.fixture(scope="module")
def checkout_localstripe_url():
    # Its own localstripe: test_reconcile lists every subscription in the one it uses.
    with running_localstripe() as url:
        yield url


@pytest.fixture
def stripe_checkout(checkout_localstripe_url, settings, monthly, annual, offer):
    """Plans priced in localstripe, and the Checkout fake as the SDK's transport."""
    localstripe_url = checkout_localstripe_url
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_API_BASE = localstripe_url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    transport = CheckoutOverLocalstripe(base_url=localstripe_url)
    api = transport.api()
    suffix = time.monotonic_ns()
    prices = {"monthly": (1500, "month"), "annual": (15000, "year"), "intro": (300, "month")}
    ids = {}
    for name, (amount, interval) in prices.items():
        product = api.v1.products.create(params={"name": name})
        ids[name] = f"price_{name}_{suffix}"
        api.v1.plans.create(
            params={
                "id": ids[name],
                "product": product.id,
                "amount": amount,
                "currency": "usd",
                "interval": interval,
            }
        )
    monthly.provider_price_id, annual.provider_price_id = ids["monthly"], ids["annual"]
    monthly.save()
    annual.save()
    transport.coupon_prices[offer.provider_coupon_id] = ids["intro"]
    stripe_provider.use_http_client(transport)
    yield transport
    stripe_provider.use_http_client(None)


def _events_for(transport: CheckoutOverLocalstripe, session: dict, tag: str) -> list[dict]:
    """What Stripe sends once a session is paid: the session, the subscription, its paid invoice."""
    created = int(time.time())
    subscription = transport.subscription(session["subscription"])
    events = [
        event("checkout.session.completed", session, created=created, event_id=f"evt_{tag}_checkout"),
        event("customer.subscription.created", subscription, created=created, event_id=f"evt_{tag}_created"),
    ]
    for n, invoice in enumerate(transport.invoices(session["subscription"])):
        events.append(event("invoice.paid", invoice, created=created, event_id=f"evt_{tag}_paid_{n}"))
    return events


STRIPE_KEPT_STATUS = {"annual": "active", "offer": "active", "monthly": "trialing"}
# What each checkout took when it was paid: the trial took nothing.
STRIPE_FIRST_CHARGE = {"annual": 15000, "offer": 300, "monthly": 0}


@pytest.mark.parametrize("order", ORDERS, ids="-then-".join)
def test_three_stripe_checkouts_completed_in_any_order_are_refunded_once(
    client, reader, monthly, annual, offer, stripe_checkout, django_capture_on_commit_callbacks, order
):
    transport = stripe_checkout
    client.force_login(reader)
    # given: three Checkout Sessions, started before any was paid
    _start_three(client, annual=annual, offer=offer, monthly=monthly)
    sessions = {
        name: _row_for(name, annual=annual, offer=offer, monthly=monthly).provider_checkout_id
        for name in ("annual", "offer", "monthly")
    }
    assert len(set(sessions.values())) == 3
    started = transport.calls("POST", "/v1/checkout/sessions")
    assert sum("subscription_data[trial_period_days]" in r.params for r in started) == 1

    # when: the reader pays all three in `order`; each one's events arrive twice, and the reader
    # lands on the success page of the last one
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(order):
            paid = transport.pay(sessions[name])
            for body in _events_for(transport, paid, f"{name}{n}{time.monotonic_ns()}") * 2:
                assert post_event(client, body).status_code == 200
        success = client.get(f"/subscribe/success/?session_id={sessions[order[-1]]}").content.decode()
        # the sweep runs later and finds nothing left to refund
        settle_pending_duplicates()
        billing_sweep.call()

    # then: one current subscription, the first one paid
    [kept] = Subscription.objects.filter(user=reader).current()
    assert kept == _row_for(order[0], annual=annual, offer=offer, monthly=monthly)
    assert kept.status == STRIPE_KEPT_STATUS[order[0]]
    assert transport.subscription(kept.provider_subscription_id)["status"] == STRIPE_KEPT_STATUS[order[0]]
    assert "You already have a subscription" in success
    # the others: canceled in Stripe, each paid invoice refunded exactly once with its amount
    refund_posts = transport.calls("POST", "/v1/refunds")
    assert len(refund_posts) == sum(STRIPE_FIRST_CHARGE[name] > 0 for name in order[1:])
    for name in order[1:]:
        refused = _row_for(name, annual=annual, offer=offer, monthly=monthly)
        assert (refused.status, refused.refused_reason) == ("expired", RefusedReason.ALREADY_SUBSCRIBED)
        assert _entitlement_refs(refused) == []  # a second trial is never granted either
        assert transport.subscription(refused.provider_subscription_id)["status"] == "canceled"
        refunds = [
            r for i in transport.invoices(refused.provider_subscription_id) for r in transport.refunds_for(i)
        ]
        duplicate = DuplicatePayment.objects.get(subscription=refused)
        if STRIPE_FIRST_CHARGE[name]:
            [refund] = refunds
            assert (refund["amount"], refund["currency"], refund["reason"]) == (
                STRIPE_FIRST_CHARGE[name],
                "usd",
                "duplicate",
            )
            assert (duplicate.outcome, duplicate.refunded_minor, duplicate.provider_refund_ids) == (
                DuplicateOutcome.REFUNDED,
                STRIPE_FIRST_CHARGE[name],
                [refund["id"]],
            )
        else:
            assert refunds == []
            assert (duplicate.outcome, duplicate.refunded_minor) == (DuplicateOutcome.NOTHING_PAID, 0)
    assert all(r.headers["Idempotency-Key"].startswith("masthead-duplicate-") for r in refund_posts)
    # the reader is told, on the account page and by e-mail
    page = client.get("/account/").content.decode()
    for name in order[1:]:
        if STRIPE_FIRST_CHARGE[name]:
            amount = f"${STRIPE_FIRST_CHARGE[name] // 100:,}.00"
            assert f"We refunded a duplicate payment of {amount}" in page
    notices = [
        m for m in mail.outbox if "duplicate payment" in m.subject or "second subscription" in m.subject
    ]
    assert len(notices) == 2


def test_a_settled_duplicate_is_never_refunded_again(
    client, reader, monthly, annual, offer, stripe_checkout, django_capture_on_commit_callbacks
):
    transport = stripe_checkout
    client.force_login(reader)
    _start_three(client, annual=annual, offer=offer, monthly=monthly)
    paid = {}
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(["offer", "annual"]):
            session = _row_for(name, annual=annual, offer=offer, monthly=monthly).provider_checkout_id
            paid[name] = transport.pay(session)
            for body in _events_for(transport, paid[name], f"first{n}{time.monotonic_ns()}"):
                post_event(client, body)
    duplicate = DuplicatePayment.objects.get()
    # The same events again under new ids (Stripe retried after a timeout), then staff press
    # "retry" on a row that looks failed, more than a day later (Stripe forgot the idempotency key).
    with django_capture_on_commit_callbacks(execute=True):
        for body in _events_for(transport, paid["annual"], f"again{time.monotonic_ns()}"):
            assert post_event(client, body).json()["duplicate"] is False
        DuplicatePayment.objects.filter(pk=duplicate.pk).update(outcome=DuplicateOutcome.FAILED)
        settle_duplicate(duplicate_id=duplicate.pk)

    refunds = [
        r for i in transport.invoices(duplicate.provider_subscription_id) for r in transport.refunds_for(i)
    ]
    assert [r["amount"] for r in refunds] == [15000]
    duplicate.refresh_from_db()
    assert (duplicate.outcome, duplicate.refunded_minor) == (DuplicateOutcome.REFUNDED, 15000)


def test_staff_see_refunded_duplicates_in_the_admin(admin_client, reader, monthly, annual, settings, client):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    first = client.post("/subscribe/", {"plan": monthly.pk})["Location"]
    second = client.post("/subscribe/", {"plan": annual.pk})["Location"]
    client.post(first)
    client.post(second)
    settle_pending_duplicates()

    listing = admin_client.get("/django-admin/billing/duplicatepayment/").content.decode()

    assert "reader@example.com" in listing
    assert "$150.00" in listing
    assert "Refunded duplicate" in listing


def test_a_stripe_trial_that_would_be_a_second_trial_is_canceled_before_any_access(
    client, reader, monthly, annual, offer, stripe_checkout, django_capture_on_commit_callbacks
):
    transport = stripe_checkout
    client.force_login(reader)
    # given: a trial checkout started while the reader was new; a staff grant then came and went
    client.post("/subscribe/", {"plan": monthly.pk})
    trial_row = Subscription.objects.get(user=reader)
    Subscription.objects.create(
        user=reader, plan=annual, provider=Provider.MANUAL, status="expired", started_at=trial_row.created_at
    )

    # when: the trial checkout is paid and its events arrive
    with django_capture_on_commit_callbacks(execute=True):
        paid = transport.pay(trial_row.provider_checkout_id)
        for body in _events_for(transport, paid, f"second-trial{time.monotonic_ns()}"):
            assert post_event(client, body).status_code == 200

    # then: no trial was granted, Stripe's subscription is canceled, nothing was charged
    trial_row.refresh_from_db()
    assert (trial_row.status, trial_row.refused_reason) == ("expired", RefusedReason.SECOND_TRIAL)
    assert _entitlement_refs(trial_row) == []
    assert not Entitlement.objects.filter(user=reader).exists()
    assert transport.subscription(trial_row.provider_subscription_id)["status"] == "canceled"
    assert transport.calls("POST", "/v1/refunds") == []
    duplicate = DuplicatePayment.objects.get(subscription=trial_row)
    assert duplicate.outcome == DuplicateOutcome.NOTHING_PAID
    [notice] = mail.outbox
    assert "the second trial was not started" in notice.body
    assert "Nothing was charged for it." in notice.body


def test_a_refund_that_failed_right_away_is_made_by_the_sweep_once(
    client, reader, monthly, annual, offer, stripe_checkout, django_capture_on_commit_callbacks, monkeypatch
):
    import stripe

    transport = stripe_checkout
    client.force_login(reader)
    _start_three(client, annual=annual, offer=offer, monthly=monthly)
    real_refund = stripe_provider.StripeProvider.refund_duplicate

    def stripe_unreachable(self, *, duplicate):
        raise stripe.APIConnectionError("Stripe did not answer")

    # given: the second payment's cancel-and-refund fails while its webhooks are handled
    monkeypatch.setattr(stripe_provider.StripeProvider, "refund_duplicate", stripe_unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        for n, name in enumerate(["monthly", "annual"]):
            session = _row_for(name, annual=annual, offer=offer, monthly=monthly).provider_checkout_id
            for body in _events_for(transport, transport.pay(session), f"retry{n}{time.monotonic_ns()}"):
                assert post_event(client, body).status_code == 200
    duplicate = DuplicatePayment.objects.get()
    assert (duplicate.outcome, duplicate.attempts) == (DuplicateOutcome.PENDING, 1)
    assert "Stripe did not answer" in duplicate.last_error
    assert "are refunding its payment" in client.get("/account/").content.decode()

    # when: Stripe answers again and the sweep runs, twice
    monkeypatch.setattr(stripe_provider.StripeProvider, "refund_duplicate", real_refund)
    with django_capture_on_commit_callbacks(execute=True):
        billing_sweep.call()
        billing_sweep.call()

    # then: refunded once, and the reader is told once
    duplicate.refresh_from_db()
    assert (duplicate.outcome, duplicate.refunded_minor, duplicate.last_error) == (
        DuplicateOutcome.REFUNDED,
        15000,
        "",
    )
    assert len(transport.calls("POST", "/v1/refunds")) == 1
    assert transport.subscription(duplicate.provider_subscription_id)["status"] == "canceled"
    assert len([m for m in mail.outbox if m.subject.startswith("We refunded a duplicate payment")]) == 1
