"""An offer ended in the admin leaves the paywall at once, even when a reader's request read the
offers just before the edit committed and kept its copy after the edit dropped the old one.
Outside a test transaction, as a server runs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from masthead.billing import selectors
from masthead.billing.models import Offer, Plan
from masthead.billing.selectors import offer_panel

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_offer_ended_during_a_readers_request_is_not_shown_afterwards(monkeypatch):
    plan = Plan.objects.create(
        name="Monthly", interval="month", price_minor=1500, currency="usd", active=True, sort_order=1
    )
    offer = Offer.objects.create(
        plan=plan,
        headline="Autumn: 3 months for $9",
        intro_price_minor=300,
        intro_intervals=3,
        featured=True,
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=30),
    )
    shown = offer_panel()
    assert shown.for_new is not None and shown.for_new.headline == "Autumn: 3 months for $9"
    read_at = timezone.now()

    def the_other_workers_request() -> None:
        # Another worker read the offers (still live) before the edit committed, and keeps its
        # copy only now, after every delete the commit made.
        with monkeypatch.context() as other:
            other.setattr(selectors, "_build_panel", lambda now, **_kwargs: shown)
            other.setattr(selectors.timezone, "now", lambda: read_at)
            other.setattr(selectors.cache, "get_many", lambda keys: {})
            offer_panel()

    with transaction.atomic():
        offer.ends_at = timezone.now() - timedelta(seconds=1)
        offer.save()
        transaction.on_commit(the_other_workers_request)

    after = offer_panel()
    assert after.for_new is not None and after.for_new.headline != "Autumn: 3 months for $9"
    assert "$15" in after.for_new.price_text
