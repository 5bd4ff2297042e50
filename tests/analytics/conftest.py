"""Fixtures for analytics tests: a publication, a metered paywall, a clean settings cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from tests.builders import Publication, make_publication


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication()


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130 Safari/537.36"


@pytest.fixture
def plans(db: Any) -> dict[str, Any]:
    from datetime import UTC, datetime

    from masthead.billing.models import Interval, Offer, Plan

    monthly = Plan.objects.create(name="Monthly", interval=Interval.MONTH, price_minor=1500, trial_days=14)
    annual = Plan.objects.create(name="Annual", interval=Interval.YEAR, price_minor=15000, sort_order=2)
    offer = Offer.objects.create(
        plan=monthly,
        headline="3 months for $9",
        intro_price_minor=300,
        intro_intervals=3,
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        ends_at=datetime(2030, 1, 31, tzinfo=UTC),
        featured=True,
    )
    return {"monthly": monthly, "annual": annual, "offer": offer}


def staff_user(email: str, *, analytics: bool) -> Any:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(email=email, password="a long staff passphrase 9")
    user.is_staff = True
    user.save()
    perms = [Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")]
    if analytics:
        perms.append(Permission.objects.get(content_type__app_label="analytics", codename="view_analytics"))
    user.user_permissions.add(*perms)
    return user
