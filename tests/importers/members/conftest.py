"""Fixtures for the members import: the export files, the free newsletter, localstripe."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from masthead.billing.models import Interval, Plan
from masthead.billing.providers import stripe as stripe_provider
from masthead.importers.report import Report
from masthead.newsletters.models import Newsletter
from tests.billing.conftest import running_localstripe

FIXTURES = Path(__file__).parent / "fixtures"
GHOST_CSV = FIXTURES / "ghost-members.csv"
SUBSTACK_CSV = FIXTURES / "email_list.testpub.csv"
BAD_GHOST_CSV = FIXTURES / "ghost-members-bad.csv"


@pytest.fixture(autouse=True)
def _no_stripe(settings: Any) -> None:
    # Unless a test starts localstripe, Stripe is not configured: nothing can reach the network.
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def daily(db: Any) -> Newsletter:
    """The free newsletter for everyone registered (and a subscribers-only one beside it)."""
    Newsletter.objects.create(
        name="Members' briefing", slug="members-briefing", audience=Newsletter.Audience.SUBSCRIBERS
    )
    return Newsletter.objects.create(name="The Daily", slug="the-daily", sort_order=1)


@pytest.fixture
def report() -> Report:
    return Report()


@pytest.fixture(scope="session")
def members_localstripe_url() -> Iterator[str]:
    with running_localstripe() as url:
        yield url


@pytest.fixture
def localstripe(members_localstripe_url: str, settings: Any, db: Any) -> Any:
    """A Stripe account (localstripe) with one monthly price in our catalogue."""
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_API_BASE = members_localstripe_url
    stripe_provider.use_http_client(None)
    client = stripe_provider.stripe_client()
    price_id = f"price_monthly_{time.monotonic_ns()}"
    product = client.v1.products.create(params={"name": "Monthly"})
    client.v1.plans.create(
        params={"id": price_id, "product": product.id, "amount": 1500, "currency": "usd", "interval": "month"}
    )
    plan = Plan.objects.create(
        name="Monthly",
        interval=Interval.MONTH,
        price_minor=1500,
        currency="USD",
        benefits=["Unlimited articles"],
        provider_price_id=price_id,
    )
    return client, plan


def ghost_csv_with(tmp_path: Path, customer: str) -> Path:
    """The Ghost fixture with its paying member's customer id replaced by a real (local) one."""
    path = tmp_path / "ghost-members.csv"
    path.write_text(
        GHOST_CSV.read_text(encoding="utf-8").replace("cus_PAIDMEMBER", customer), encoding="utf-8"
    )
    return path
