"""One eligibility rule decides /subscribe/, the web paywall and the API's paywall alike: a reader
who subscribed before is never told "Take this offer" for a new-subscribers offer; they are
offered what they may take and told why. New readers are offered it everywhere."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client

from masthead.api.tokens import issue_user_token
from masthead.billing.demo import DEMO_PASSWORD, build_demo_billing
from masthead.billing.models import Eligibility, Offer
from masthead.billing.selectors import featured_offer_summary, offer_is_open
from tests.access.conftest import set_meter
from tests.builders import make_article, make_publication, make_reader

pytestmark = pytest.mark.django_db

RETURNING = ("lapsed", "expired-trial")
NEW = ("reader",)
TAKE_OFFER_BUTTON = re.compile(r'<input type="hidden" name="offer" value="\d+">')


@pytest.fixture
def newsroom():
    pub = make_publication()
    article = make_article(pub)
    set_meter(pub, registered_limit=0)  # every signed-in reader without access meets the offer
    build_demo_billing(io.StringIO())
    return article


def _browser(name: str) -> Client:
    client = Client()
    assert client.login(email=f"{name}@example.com", password=DEMO_PASSWORD)
    return client


@pytest.mark.parametrize("name", RETURNING)
def test_returning_readers_are_offered_what_they_may_take_with_the_reason(newsroom, name):
    client = _browser(name)

    paywall = client.get(newsroom.url).content.decode()
    subscribe = client.get("/subscribe/").content.decode()
    api = Client().get(
        f"/api/v1/articles/{newsroom.pk}",
        HTTP_AUTHORIZATION=f"Bearer {issue_user_token(user=_user(name), device_name='Phone').token}",
    )

    assert "“3 months for $9” is for new subscribers." in paywall
    assert "Take this offer" not in paywall and "Offer ends" not in paywall
    assert "Subscribe for $15.00/month" in paywall and 'href="/subscribe/"' in paywall
    assert not TAKE_OFFER_BUTTON.search(subscribe)
    assert "You have subscribed before, so this offer is not open to you" in subscribe
    offer = api.json()["paywall"]["offer"]
    assert (offer["kind"], offer["headline"]) == ("plan", "Subscribe for $15.00/month")
    assert offer["note"] == "“3 months for $9” is for new subscribers."


@pytest.mark.parametrize("name", NEW)
def test_new_readers_are_offered_the_featured_offer_everywhere(newsroom, name):
    client = _browser(name)

    paywall = client.get(newsroom.url).content.decode()
    subscribe = client.get("/subscribe/").content.decode()
    api = Client().get(
        f"/api/v1/articles/{newsroom.pk}",
        HTTP_AUTHORIZATION=f"Bearer {issue_user_token(user=_user(name), device_name='Phone').token}",
    )

    assert "3 months for $9" in paywall and "Take this offer" in paywall
    assert "is for new subscribers." not in paywall
    assert TAKE_OFFER_BUTTON.search(subscribe)
    assert "not open to you" not in subscribe
    offer = api.json()["paywall"]["offer"]
    assert (offer["kind"], offer["headline"], offer["note"]) == ("offer", "3 months for $9", None)


def test_an_offer_for_anyone_is_offered_to_returning_readers_too(newsroom):
    Offer.objects.filter(headline="3 months for $9").update(eligibility=Eligibility.ANYONE)

    paywall = _browser("lapsed").get(newsroom.url).content.decode()

    assert "3 months for $9" in paywall and "Take this offer" in paywall
    assert "is for new subscribers." not in paywall


def test_one_worker_serves_both_kinds_of_reader_in_turn_without_mixing_panels(newsroom):
    lapsed, new = _browser("lapsed"), _browser("reader")

    pages = [client.get(newsroom.url).content.decode() for client in (new, lapsed, new, lapsed)]

    assert ["Take this offer" in page for page in pages] == [True, False, True, False]


def test_the_anonymous_reader_costs_no_query_for_the_panel(newsroom, django_assert_num_queries):
    featured_offer_summary(user_id=None)  # the first reader after an edit builds the shared panel

    with django_assert_num_queries(0):
        summary = featured_offer_summary(user_id=None)

    assert summary is not None and summary.headline == "3 months for $9" and summary.is_offer


@pytest.mark.parametrize(
    ("eligibility", "returning", "is_open"),
    [
        (Eligibility.NEW, False, True),
        (Eligibility.NEW, True, False),
        (Eligibility.ANYONE, False, True),
        (Eligibility.ANYONE, True, True),
    ],
)
def test_the_rule(eligibility, returning, is_open):
    assert offer_is_open(eligibility=eligibility, returning=returning) is is_open


def test_a_reader_whose_only_access_was_complimentary_is_still_a_new_subscriber(newsroom):
    from django.utils import timezone

    from masthead.access.entitlements import end_entitlement, grant_entitlement

    guest = make_reader("guest@example.com", "a-long-guest-password")
    now = timezone.now()
    grant_entitlement(
        user=guest, kind="complimentary", starts_at=now, ends_at=None, source_ref="test:comp", note="Guest"
    )
    end_entitlement(source_ref="test:comp", ends_at=now)
    client = Client()
    client.force_login(guest)

    paywall = client.get(newsroom.url).content.decode()

    assert "Take this offer" in paywall and "3 months for $9" in paywall


def _user(name: str):
    from masthead.accounts.models import User

    return User.objects.get(email=f"{name}@example.com")
