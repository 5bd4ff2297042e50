"""Poison on the Stripe webhook: never a 500, nothing half-written, and Stripe told to stop retrying
only when retrying could never help. Bodies are signed the way Stripe signs them and checked by the
real SDK."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from masthead.access.models import Entitlement
from masthead.billing import webhooks
from masthead.billing.models import PaymentRecord, Provider, Subscription, SubscriptionStatus, WebhookEvent
from tests.billing.stripe_fakes import event, post_event, sign, subscription_object

pytestmark = pytest.mark.django_db

T0 = 1_900_000_000
DAY = 86_400
WEBHOOK = "/billing/stripe/webhook/"


def post_raw(client, payload: str, *, signature: str | None = None):
    """A body exactly as given (not re-serialised), signed unless a header is given."""
    return client.post(
        WEBHOOK,
        data=payload.encode(),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(payload) if signature is None else signature,
    )


def trialing(reader, plan, tag: str) -> tuple[Subscription, dict]:
    sub = Subscription.objects.create(user=reader, plan=plan, provider=Provider.STRIPE)
    created = event(
        "customer.subscription.created",
        subscription_object(
            sub_id=f"sub_{tag}",
            customer=f"cus_{tag}",
            status="trialing",
            local_ref=sub.pk,
            start=T0,
            trial_end=T0 + 14 * DAY,
            period_end=T0 + 14 * DAY,
        ),
        created=T0 + 2,
        event_id=f"evt_{tag}_created",
    )
    return sub, created


def nothing_written() -> bool:
    return not (
        WebhookEvent.objects.exists() or PaymentRecord.objects.exists() or Entitlement.objects.exists()
    )


def test_a_non_ascii_signature_is_refused_and_changes_nothing(client, stripe_settings, reader, monthly):
    sub, created = trialing(reader, monthly, "ascii")
    payload = json.dumps(created)
    real = sign(payload)

    responses = [
        post_raw(client, payload, signature="t=1,v1=é"),
        post_raw(client, payload, signature=real[:-1] + "ü"),
        post_raw(client, payload, signature="t=✓,v1=" + "0" * 64),
    ]

    assert [r.status_code for r in responses] == [400, 400, 400]
    assert all(r.json() == {"error": "invalid signature"} for r in responses)
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.INCOMPLETE
    assert nothing_written()


def test_a_body_that_is_not_utf8_is_refused(client, stripe_settings):
    response = client.post(
        WEBHOOK, data=b"\xff\xfe{}", content_type="application/json", HTTP_STRIPE_SIGNATURE="t=1,v1=00"
    )

    assert response.status_code == 400
    assert nothing_written()


SIGNED_UNREADABLE = {
    "empty object": "{}",
    "a list": "[]",
    "not json": "evt_123 please",
    "no id": json.dumps({"type": "invoice.paid", "created": T0, "data": {"object": {}}}),
    "no type": json.dumps({"id": "evt_no_type", "created": T0, "data": {"object": {}}}),
    "no created": json.dumps({"id": "evt_no_created", "type": "invoice.paid", "data": {"object": {}}}),
    "no data": json.dumps({"id": "evt_no_data", "type": "invoice.paid", "created": T0}),
    "no object": json.dumps({"id": "evt_no_object", "type": "invoice.paid", "created": T0, "data": {}}),
    "id of 121 characters": json.dumps(
        {"id": "evt_" + "x" * 117, "type": "invoice.paid", "created": T0, "data": {"object": {}}}
    ),
    "id with a NUL": json.dumps(
        {"id": "evt_\u0000", "type": "invoice.paid", "created": T0, "data": {"object": {}}}
    ),
    "id not a string": json.dumps({"id": 7, "type": "invoice.paid", "created": T0, "data": {"object": {}}}),
    "created past year 9999": json.dumps(
        {"id": "evt_far", "type": "invoice.paid", "created": 10**30, "data": {"object": {}}}
    ),
    "created a float too big": (
        '{"id": "evt_inf", "type": "invoice.paid", "created": 1e400, "data": {"object": {}}}'
    ),
    "an integer of 5,000 digits": (
        '{"id": "evt_digits", "type": "invoice.paid", "created": ' + "9" * 5000 + ', "data": {"object": {}}}'
    ),
    "nested 100,000 deep": (
        '{"id": "evt_deep", "type": "invoice.paid", "created": 1900000000, "data": {"object": '
        + '{"a": ' * 100_000
        + "1"
        + "}" * 100_000
        + "}}"
    ),
}


@pytest.mark.parametrize("payload", SIGNED_UNREADABLE.values(), ids=SIGNED_UNREADABLE.keys())
def test_a_signed_body_that_is_no_stripe_event_is_refused_and_writes_nothing(
    client, stripe_settings, payload
):
    response = post_raw(client, payload)

    assert response.status_code == 400
    assert response.json()["error"].startswith("unreadable event")
    assert nothing_written()


def test_an_unusable_object_is_recorded_once_as_ignored_and_answered_200(
    client, stripe_settings, reader, monthly
):
    sub, created = trialing(reader, monthly, "poison")
    created["data"]["object"].pop("id")  # KeyError in the snapshot

    first = post_event(client, created)
    again = post_event(client, created)

    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert again.status_code == 200 and again.json()["duplicate"] is True
    [record] = WebhookEvent.objects.all()
    assert record.event_id == "evt_poison_created"
    assert record.outcome.startswith("ignored: unusable customer.subscription.created object (KeyError)")
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.INCOMPLETE
    assert not Entitlement.objects.exists()


def test_a_date_too_far_in_an_object_is_ignored_not_a_500(client, stripe_settings, reader, monthly):
    sub, created = trialing(reader, monthly, "far")
    created["data"]["object"]["trial_end"] = 10**30  # OverflowError making the date

    response = post_event(client, created)

    assert response.status_code == 200
    assert WebhookEvent.objects.get().outcome.startswith("ignored: unusable")
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.INCOMPLETE
    assert not Entitlement.objects.exists()


def test_an_amount_too_big_for_the_books_leaves_no_half_written_payment(
    client, stripe_settings, reader, monthly
):
    sub, created = trialing(reader, monthly, "huge")
    assert post_event(client, created).status_code == 200
    entitlements_before = list(Entitlement.objects.values_list("pk", "ends_at"))
    paid = event(
        "invoice.paid",
        {
            "id": "in_huge_1",
            "object": "invoice",
            "customer": "cus_huge",
            "amount_paid": 10**30,  # the database refuses it (DataError, or OverflowError on SQLite)
            "currency": "usd",
            "parent": {"subscription_details": {"subscription": "sub_huge"}},
        },
        created=T0 + 3,
        event_id="evt_huge_paid",
    )

    response = post_event(client, paid)

    assert response.status_code == 200
    assert WebhookEvent.objects.get(event_id="evt_huge_paid").outcome.startswith(
        "ignored: unusable invoice.paid"
    )
    assert not PaymentRecord.objects.exists()
    assert list(Entitlement.objects.values_list("pk", "ends_at")) == entitlements_before
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.TRIALING


def test_a_handler_that_fails_midway_leaves_nothing_behind(
    client, stripe_settings, reader, monthly, monkeypatch
):
    sub, created = trialing(reader, monthly, "midway")

    def writes_then_trips(obj, observed_at):
        Subscription.objects.filter(pk=sub.pk).update(status=SubscriptionStatus.ACTIVE)
        return obj["no such key"]

    monkeypatch.setitem(webhooks.HANDLERS, "customer.subscription.created", writes_then_trips)

    response = post_event(client, created)

    assert response.status_code == 200
    sub.refresh_from_db()
    assert sub.status == SubscriptionStatus.INCOMPLETE
    assert WebhookEvent.objects.get().outcome.startswith("ignored: unusable")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=25,
)
objects = st.dictionaries(
    st.sampled_from(
        ["id", "customer", "status", "items", "metadata", "mode", "amount_paid", "parent", "trial_end"]
    ),
    json_values,
    max_size=9,
)
envelopes = st.fixed_dictionaries(
    {
        "id": st.text(max_size=130) | st.integers(),
        "type": st.sampled_from([*webhooks.HANDLERS, "charge.refunded"]) | st.text(max_size=90),
        "created": st.integers(min_value=-(10**20), max_value=10**20) | st.floats() | st.text(max_size=5),
        "data": st.fixed_dictionaries({"object": objects}) | json_values,
    }
)


@hypothesis_settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=envelopes)
def test_no_signed_body_is_answered_with_a_server_error(client, stripe_settings, body):
    payload = json.dumps(body)
    recorded_before = WebhookEvent.objects.count()

    response = post_raw(client, payload)

    assert response.status_code in (200, 400), payload[:300]
    if response.status_code == 400:
        assert WebhookEvent.objects.count() == recorded_before  # refused: nothing written
    else:
        assert WebhookEvent.objects.filter(event_id=body["id"]).count() == 1  # recorded once


def test_an_old_signature_with_a_poison_body_is_refused_first(client, stripe_settings):
    payload = SIGNED_UNREADABLE["nested 100,000 deep"]

    response = post_raw(client, payload, signature=sign(payload, timestamp=int(time.time()) - 301))

    assert response.json() == {"error": "invalid signature"}
    assert nothing_written()
