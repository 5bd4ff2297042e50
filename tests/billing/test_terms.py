"""The terms a reader took, computed from facts alone (no database), and the calendar they follow."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from masthead.billing.periods import add_intervals, next_period_end
from masthead.billing.stripe_objects import InvoiceFacts, SubscriptionSnapshot
from masthead.billing.terms import TermsFacts, terms_from_facts

NEW_YORK = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")


def facts(**changes: object) -> TermsFacts:
    base: dict[str, object] = {
        "plan_name": "Monthly",
        "provider": "demo",
        "status": "active",
        "interval": "month",
        "currency": "USD",
        "price_minor": 1500,
        "offer_headline": "3 months for $9",
        "intro_price_minor": 300,
        "intro_intervals": 3,
        "started_at": datetime(2026, 1, 31, 15, 0, tzinfo=UTC),
        "trial_end": None,
        "current_period_end": datetime(2026, 2, 28, 15, 0, tzinfo=UTC),
        "cancel_at_period_end": False,
        "intro_ends_at": None,
        "zone": NEW_YORK,
    }
    base.update(changes)
    return TermsFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("anchor", "interval", "count", "zone", "expected"),
    [
        # 31 January in New York: the end of February, then 31 March again (never 28 March).
        (datetime(2026, 1, 31, 15, tzinfo=UTC), "month", 1, NEW_YORK, datetime(2026, 2, 28, 15, tzinfo=UTC)),
        (datetime(2026, 1, 31, 15, tzinfo=UTC), "month", 2, NEW_YORK, datetime(2026, 3, 31, 14, tzinfo=UTC)),
        # 23:30 on 31 January in New York is already 1 February in UTC: New York's calendar wins.
        (
            datetime(2026, 2, 1, 4, 30, tzinfo=UTC),
            "month",
            3,
            NEW_YORK,
            datetime(2026, 5, 1, 3, 30, tzinfo=UTC),
        ),
        (datetime(2026, 2, 1, 4, 30, tzinfo=UTC), "month", 3, UTC, datetime(2026, 5, 1, 4, 30, tzinfo=UTC)),
        # A leap day, a year on.
        (datetime(2028, 2, 29, 3, tzinfo=UTC), "year", 1, TOKYO, datetime(2029, 2, 28, 3, tzinfo=UTC)),
    ],
)
def test_periods_are_counted_from_the_anchor_on_the_publications_calendar(
    anchor, interval, count, zone, expected
):
    assert add_intervals(anchor, interval, count, zone=zone) == expected


def test_the_next_period_end_skips_periods_already_over():
    anchor = datetime(2026, 1, 31, 15, tzinfo=UTC)
    after = datetime(2026, 3, 1, tzinfo=UTC)

    assert next_period_end(anchor, "month", after, zone=NEW_YORK) == datetime(2026, 3, 31, 14, tzinfo=UTC)


def test_an_offer_reads_as_taken_with_the_date_the_price_changes():
    terms = terms_from_facts(facts())

    assert terms.offer_headline == "3 months for $9"
    assert terms.intro_price_text == "$9 for 3 months"
    assert terms.intro_interval_price_text == "$3 a month"
    assert terms.regular_price_text == "$15 a month"
    assert terms.intro_ends_at == datetime(2026, 4, 30, 14, tzinfo=UTC)
    assert (terms.next_charge_at, terms.next_charge_text) == (datetime(2026, 2, 28, 15, tzinfo=UTC), "$3.00")


def test_the_first_charge_after_the_intro_is_the_regular_price():
    terms = terms_from_facts(facts(current_period_end=datetime(2026, 4, 30, 14, tzinfo=UTC)))

    assert terms.next_charge_text == "$15.00"


def test_after_a_trial_the_intro_counts_from_the_trial_end():
    terms = terms_from_facts(
        facts(trial_end=datetime(2026, 2, 14, 15, tzinfo=UTC), status="trialing", current_period_end=None)
    )

    assert terms.intro_ends_at == datetime(2026, 5, 14, 14, tzinfo=UTC)
    assert (terms.next_charge_at, terms.next_charge_text) == (datetime(2026, 2, 14, 15, tzinfo=UTC), "$3.00")


@pytest.mark.parametrize(
    ("changes", "next_text"),
    [
        ({"cancel_at_period_end": True, "status": "canceled"}, None),
        ({"status": "expired"}, None),
        ({"provider": "manual"}, None),  # staff grants are not charged through us
        ({"status": "active"}, "$3.00"),
    ],
)
def test_only_a_subscription_that_will_renew_has_a_next_charge(changes, next_text):
    assert terms_from_facts(facts(**changes)).next_charge_text == next_text


def test_without_an_offer_only_the_regular_price_is_said():
    renews = datetime(2027, 1, 31, 15, tzinfo=UTC)
    no_offer = {"offer_headline": "", "intro_price_minor": None, "intro_intervals": 0}
    terms = terms_from_facts(facts(**no_offer, interval="year", price_minor=15000, current_period_end=renews))

    assert (terms.offer_headline, terms.intro_price_text, terms.intro_ends_at) == (None, None, None)
    assert (terms.regular_price_text, terms.next_charge_text) == ("$150 a year", "$150.00")


def test_stripe_says_when_the_coupon_ends_and_which_invoices_it_discounted():
    snapshot = SubscriptionSnapshot.from_stripe(
        {"id": "sub_1", "status": "active", "discount": {"coupon": {"id": "coupon_intro"}, "end": 1777557600}}
    )
    intro = InvoiceFacts.from_stripe(
        {
            "id": "in_1",
            "amount_paid": 300,
            "currency": "usd",
            "total_discount_amounts": [{"amount": 1200, "discount": "di_1"}],
            "lines": {
                "data": [{"description": "1 × Monthly", "period": {"start": 1769871600, "end": 1772290800}}]
            },
        },
        paid=True,
    )
    regular = InvoiceFacts.from_stripe(
        {"id": "in_4", "amount_paid": 1500, "currency": "usd", "total_discount_amounts": [], "discounts": []},
        paid=True,
    )

    assert snapshot.discount_end == datetime.fromtimestamp(1777557600, tz=UTC)
    assert (intro.discounted, intro.period_start) == (True, datetime.fromtimestamp(1769871600, tz=UTC))
    assert regular.discounted is False
