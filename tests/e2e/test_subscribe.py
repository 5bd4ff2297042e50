"""Acceptance 1, in a real browser: limit → dated offer → demo subscription → full article →
cancel → access kept until the period end (frozen time) → then "full access … has expired"."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client

from masthead.billing.demo import build_demo_billing
from masthead.billing.models import Subscription, SubscriptionStatus
from tests.builders import canary_for, make_article, make_publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server, wagtail_roots):
    cache.clear()
    pub = make_publication(("Politics", "Business"))
    metered = [make_article(pub, title=f"Metered story {n}") for n in range(4)]
    exclusive = make_article(pub, access="subscribers", title="The subscriber-only investigation")
    build_demo_billing(io.StringIO())
    return {"url": live_server.url, "metered": metered, "exclusive": exclusive}


def test_reader_subscribes_through_the_demo_and_keeps_access_until_the_period_ends(
    site, open_page, screenshots
):
    page = open_page(width=1280)
    base, exclusive = site["url"], site["exclusive"]

    # An anonymous reader uses up the free articles and meets the wall.
    for article in site["metered"]:
        page.goto(base + article.url)
    assert page.locator("[data-paywall-state]").count() == 1
    assert canary_for(site["metered"][-1].slug) not in page.content()

    # The subscriber-only article shows the dated offer.
    page.goto(base + exclusive.url)
    offer = page.locator("[data-offer]")
    assert "3 months for $9" in offer.inner_text()
    assert "Offer ends" in offer.inner_text()
    page.screenshot(path=screenshots / "subscribe-offer.png", full_page=True)
    assert canary_for(exclusive.slug) not in page.content()

    # Take the offer: sign up first, come back to the offers, pay with the demo provider.
    page.get_by_role("link", name="Take this offer").click()
    page.get_by_role("button", name="Take 3 months for $9").click()
    assert "/accounts/signup/" in page.url
    page.fill("input[name=email]", "new.reader@example.com")
    page.fill("input[name=password1]", "a-long-new-reader-pass")
    if page.locator("input[name=password2]").count():
        page.fill("input[name=password2]", "a-long-new-reader-pass")
    page.locator("form[action*=signup] [type=submit], main form [type=submit]").first.click()
    # Verification is mandatory: the reader opens the e-mailed link in this browser and confirms,
    # which signs them in and brings them back to the offers.
    assert "Check your e-mail" in page.locator("h1").inner_text()
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(base + link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/subscribe/")
    page.get_by_role("button", name="Take 3 months for $9").click()
    assert "Demo checkout" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Complete demo payment").click()
    assert "Welcome, subscriber" in page.locator("h1").inner_text()

    # The subscriber-only article is now open in full.
    page.goto(base + exclusive.url)
    assert canary_for(exclusive.slug) in page.content()

    # Cancel in the account: access is kept until the end of the paid period.
    page.goto(base + "/account/")
    page.get_by_role("button", name="Cancel subscription").click()
    assert "Full access until" in page.locator("main").inner_text()
    page.screenshot(path=screenshots / "subscribe-account-canceled.png", full_page=True)
    page.goto(base + exclusive.url)
    assert canary_for(exclusive.slug) in page.content()

    subscription = Subscription.objects.get(user__email="new.reader@example.com")
    assert subscription.status == SubscriptionStatus.CANCELED
    period_end = subscription.current_period_end

    # Frozen time: the last second of the period still reads in full; at the end it has expired.
    client = Client()
    with time_machine.travel(period_end - timedelta(seconds=1), tick=False):
        client.force_login(subscription.user)
        assert canary_for(exclusive.slug) in client.get(exclusive.url).content.decode()
    with time_machine.travel(period_end + timedelta(seconds=1), tick=False):
        cache.clear()
        client.force_login(subscription.user)
        html = client.get(exclusive.url).content.decode()
    assert canary_for(exclusive.slug) not in html
    assert "Your full access to" in html and "has expired" in html
