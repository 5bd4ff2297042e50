"""Subscribing: the offers page, login first, catalogue prices only, Stripe Checkout, demo checkout."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from masthead.access.entitlements import active_entitlements
from masthead.billing.models import Provider, Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db

SESSION = {
    "id": "cs_test_a1",
    "object": "checkout.session",
    "mode": "subscription",
    "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
    "status": "open",
}


def test_the_offers_page_lists_plans_and_the_dated_offer_in_the_publication_zone(client, offer, annual):
    response = client.get("/subscribe/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "3 months for $9" in html
    assert "$9 for 3 months, then $15.00/month" in html
    assert "$150.00/year" in html
    # 04:59 UTC on 31 January is still 30 January in New York, the publication's zone.
    assert "Offer ends Jan. 30, 2030, 11:59 p.m." in html


def test_an_offer_is_invisible_before_its_start_and_after_its_end(client, offer):
    with time_machine.travel(datetime(2025, 12, 31, 23, 59, tzinfo=UTC)):
        assert "3 months for $9" not in client.get("/subscribe/").content.decode()
    with time_machine.travel(offer.ends_at):
        assert "3 months for $9" not in client.get("/subscribe/").content.decode()


def test_anonymous_readers_are_sent_to_sign_up_first(client, monthly):
    response = client.post("/subscribe/", {"plan": monthly.pk})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/?next=%2Fsubscribe%2F"
    assert not Subscription.objects.exists()


def test_stripe_checkout_uses_only_catalogue_prices(client, reader, monthly, recorded_stripe):
    recorded_stripe.responses[("POST", "/v1/checkout/sessions")] = SESSION
    client.force_login(reader)

    response = client.post(
        "/subscribe/",
        {
            "plan": monthly.pk,
            "price": "1",
            "price_minor": "1",
            "quantity": "50",
            "mode": "payment",
            "line_items[0][price]": "price_free",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == SESSION["url"]
    [sent] = recorded_stripe.requests
    assert sent.params["mode"] == "subscription"
    assert sent.params["line_items[0][price]"] == "price_monthly"
    assert sent.params["line_items[0][quantity]"] == "1"
    assert sent.params["customer_email"] == "reader@example.com"
    assert sent.params["subscription_data[trial_period_days]"] == "14"
    assert not any("price_free" in value or value == "50" for value in sent.params.values())
    assert sent.headers["Idempotency-Key"].startswith("masthead-checkout-")
    assert sent.headers["Stripe-Version"] == "2026-10-28.endive"
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.provider_checkout_id) == ("incomplete", "cs_test_a1")


def test_a_second_click_reuses_the_same_checkout_and_idempotency_key(client, reader, offer, recorded_stripe):
    recorded_stripe.responses[("POST", "/v1/checkout/sessions")] = SESSION
    client.force_login(reader)

    client.post("/subscribe/", {"offer": offer.pk})
    client.post("/subscribe/", {"offer": offer.pk})

    first, second = recorded_stripe.requests
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert first.params["discounts[0][coupon]"] == "coupon_intro"
    assert "subscription_data[trial_period_days]" not in first.params  # offers do not stack a trial
    assert Subscription.objects.count() == 1


def test_the_success_page_grants_access_before_the_webhook(client, reader, monthly, recorded_stripe):
    recorded_stripe.responses[("POST", "/v1/checkout/sessions")] = SESSION
    client.force_login(reader)
    client.post("/subscribe/", {"plan": monthly.pk})
    subscription = Subscription.objects.get()
    period_end = int(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    recorded_stripe.responses[("GET", "/v1/checkout/sessions/cs_test_a1")] = {
        **SESSION,
        "status": "complete",
        "client_reference_id": str(subscription.pk),
        "customer": "cus_9",
        "subscription": {
            "id": "sub_9",
            "object": "subscription",
            "customer": "cus_9",
            "status": "active",
            "start_date": period_end - 30 * 86400,
            "cancel_at_period_end": False,
            "items": {"data": [{"price": {"id": "price_monthly"}, "current_period_end": period_end}]},
        },
    }

    response = client.get("/subscribe/success/?session_id=cs_test_a1")

    assert response.status_code == 200
    assert "Welcome, subscriber" in response.content.decode()
    retrieve = recorded_stripe.requests[-1]
    assert retrieve.params.get("expand[0]") == "subscription"
    subscription.refresh_from_db()
    assert (subscription.status, subscription.provider_subscription_id) == ("active", "sub_9")
    assert active_entitlements(user_id=reader.pk, now=datetime(2029, 12, 31, tzinfo=UTC))


def test_another_readers_session_is_not_found(client, reader, monthly, recorded_stripe, django_user_model):
    other = django_user_model.objects.create_user(email="other@example.com", password="x-long-password-1")
    theirs = Subscription.objects.create(user=other, plan=monthly, provider=Provider.STRIPE)
    recorded_stripe.responses[("GET", "/v1/checkout/sessions/cs_theirs")] = {
        **SESSION,
        "id": "cs_theirs",
        "status": "complete",
        "client_reference_id": str(theirs.pk),
    }
    client.force_login(reader)

    assert client.get("/subscribe/success/?session_id=cs_theirs").status_code == 404


def test_demo_checkout_completes_at_once_with_a_trial_for_new_readers(client, reader, monthly, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)

    to_checkout = client.post("/subscribe/", {"plan": monthly.pk})
    page = client.get(to_checkout["Location"])
    done = client.post(to_checkout["Location"])

    assert "Complete demo payment" in page.content.decode()
    assert done.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.status == SubscriptionStatus.TRIALING
    [trial] = active_entitlements(user_id=reader.pk, now=subscription.started_at)
    assert (trial.kind, trial.ends_at) == ("trial", subscription.trial_end)


def test_demo_offer_is_paid_at_once_and_new_subscribers_only(client, reader, offer, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"
    client.force_login(reader)
    checkout = client.post("/subscribe/", {"offer": offer.pk})["Location"]
    client.post(checkout)
    subscription = Subscription.objects.get()
    assert (subscription.status, subscription.offer) == (SubscriptionStatus.ACTIVE, offer)
    subscription.status = SubscriptionStatus.EXPIRED
    subscription.save()

    again = client.post("/subscribe/", {"offer": offer.pk}, follow=True)

    assert "This offer is for new subscribers only." in again.content.decode()
    assert Subscription.objects.count() == 1


def test_the_demo_provider_does_not_exist_outside_demo_mode(client, reader, monthly, settings):
    subscription = Subscription.objects.create(user=reader, plan=monthly, provider=Provider.DEMO)
    settings.MASTHEAD_DEMO = False
    client.force_login(reader)

    assert client.post(f"/subscribe/demo/{subscription.pk}/").status_code == 404
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.INCOMPLETE


def test_manage_billing_opens_the_stripe_portal(client, reader, monthly, recorded_stripe):
    Subscription.objects.create(
        user=reader,
        plan=monthly,
        provider=Provider.STRIPE,
        status=SubscriptionStatus.ACTIVE,
        provider_customer_id="cus_portal",
        provider_subscription_id="sub_portal",
    )
    recorded_stripe.responses[("POST", "/v1/billing_portal/sessions")] = {
        "id": "bps_1",
        "object": "billing_portal.session",
        "url": "https://billing.stripe.com/p/session/x",
    }
    client.force_login(reader)

    response = client.post("/billing/manage/")

    assert response["Location"] == "https://billing.stripe.com/p/session/x"
    [sent] = recorded_stripe.requests
    assert sent.params == {"customer": "cus_portal", "return_url": "http://testserver/account/"}
