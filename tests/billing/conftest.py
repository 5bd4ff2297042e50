from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.cache import cache

from masthead.accounts.models import User
from masthead.billing.models import Interval, Offer, Plan
from masthead.billing.providers import stripe as stripe_provider
from tests.billing.stripe_fakes import WEBHOOK_SECRET, RecordedStripe

BENEFITS = ["Unlimited articles", "The apps", "The newsletter"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = ""
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    return settings


@pytest.fixture
def recorded_stripe(stripe_settings):
    transport = RecordedStripe()
    stripe_provider.use_http_client(transport)
    yield transport
    stripe_provider.use_http_client(None)


@pytest.fixture
def monthly(db) -> Plan:
    return Plan.objects.create(
        name="Monthly",
        interval=Interval.MONTH,
        price_minor=1500,
        currency="USD",
        benefits=BENEFITS,
        trial_days=14,
        provider_price_id="price_monthly",
        sort_order=1,
    )


@pytest.fixture
def annual(db) -> Plan:
    return Plan.objects.create(
        name="Annual",
        interval=Interval.YEAR,
        price_minor=15000,
        currency="USD",
        benefits=BENEFITS,
        provider_price_id="price_annual",
        sort_order=2,
    )


@pytest.fixture
def offer(monthly) -> Offer:
    return Offer.objects.create(
        plan=monthly,
        headline="3 months for $9",
        intro_price_minor=300,
        intro_intervals=3,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2030, 1, 31, 4, 59, tzinfo=UTC),
        featured=True,
        provider_coupon_id="coupon_intro",
    )


@pytest.fixture
def reader(db) -> User:
    return User.objects.create_user(email="reader@example.com", password="a-long-reader-password")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_localstripe():
    """A localstripe process of its own on 127.0.0.1 (its state lives in that process only)."""
    port = _free_port()
    script = Path(__file__).with_name("localstripe_server.py")
    process = subprocess.Popen(
        [sys.executable, str(script), str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("localstripe did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def localstripe_url():
    with running_localstripe() as url:
        yield url
