"""Money formatting, the live-offer rule, and the paywall's offer panel (cached, yet exact at the end)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from masthead.access.offers import featured_offer
from masthead.billing.models import Offer
from masthead.billing.money import format_money


@pytest.mark.parametrize(
    ("amount", "currency", "trim", "expected"),
    [
        (900, "USD", False, "$9.00"),
        (900, "USD", True, "$9"),
        (950, "USD", True, "$9.50"),
        (1500, "JPY", False, "¥1,500"),
        (123456, "EUR", False, "€1,234.56"),
        (1000, "KWD", False, "1.000 KWD"),
    ],
)
def test_money_is_formatted_from_minor_units(amount, currency, trim, expected):
    assert format_money(amount, currency, trim=trim) == expected


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        format_money(9.0, "USD")  # type: ignore[arg-type]


def test_billing_code_never_uses_floats():
    root = Path(__file__).resolve().parents[2] / "masthead" / "billing"
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("*.py")
        if "migrations" not in path.parts
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"\bfloat\b", line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_live_offers_respect_start_and_end_to_the_second(offer):
    assert list(Offer.objects.live(offer.starts_at)) == [offer]
    assert list(Offer.objects.live(offer.starts_at - timedelta(seconds=1))) == []
    assert list(Offer.objects.live(offer.ends_at - timedelta(seconds=1))) == [offer]
    assert list(Offer.objects.live(offer.ends_at)) == []


@pytest.mark.django_db
def test_the_paywall_panel_shows_the_featured_offer_then_the_plan_when_it_ends(offer, annual):
    with time_machine.travel(offer.ends_at - timedelta(seconds=2), tick=False) as traveller:
        summary = featured_offer()
        assert summary is not None
        assert (summary.headline, summary.ends_at) == ("3 months for $9", offer.ends_at)
        assert summary.price_text == "$9 for 3 months, then $15.00/month"
        assert summary.benefits == ["Unlimited articles", "The apps", "The newsletter"]
        traveller.move_to(offer.ends_at)
        after = featured_offer()
    # The cheapest plan on sale takes over, on the second, despite the cache.
    assert after is not None
    assert (after.headline, after.ends_at) == ("Subscribe for $15.00/month", None)


@pytest.mark.django_db
def test_saving_an_offer_refreshes_the_cached_panel(offer, django_assert_num_queries):
    with time_machine.travel(datetime(2027, 1, 1, tzinfo=UTC), tick=False):
        featured_offer()
        with django_assert_num_queries(0):
            featured_offer()
        offer.headline = "2 months for $1"
        offer.save()
        summary = featured_offer()
    assert summary is not None and summary.headline == "2 months for $1"


@pytest.mark.django_db
def test_no_plans_no_panel():
    assert featured_offer() is None
