"""Fixtures for paywall tests: a small publication, readers, and a clean settings cache."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.access.models import MeterSettings
from tests.builders import Publication, canary_for, make_article, make_publication, make_reader


@pytest.fixture(autouse=True)
def _fresh_paywall_cache() -> Iterator[None]:
    # The paywall's settings are cached; a rolled-back test must not leave its limits behind.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    # A request with Accept-Language: ja leaves Japanese active in the thread afterwards.
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication()


def set_meter(pub: Publication, **values: Any) -> MeterSettings:
    from wagtail.models import Site

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    for name, value in values.items():
        setattr(meter, name, value)
    meter.save()
    return meter


def has_canary(response: Any, article: Any) -> bool:
    body = response.content.decode() if hasattr(response, "content") else str(response)
    return canary_for(article.slug) in body


def paywall_state(response: Any) -> str | None:
    import re

    match = re.search(r'data-paywall-state="([^"]+)"', response.content.decode())
    return match.group(1) if match else None


def data_remaining(response: Any) -> str | None:
    import re

    match = re.search(r'data-remaining="([^"]*)"', response.content.decode())
    return match.group(1) if match else None


@pytest.fixture
def metered(pub: Publication) -> list[Any]:
    return [make_article(pub) for _ in range(7)]


@pytest.fixture
def reader(db: Any) -> Any:
    return make_reader("reader@example.com", "a long passphrase 42")


def make_subscriber(user: Any, *, trial: bool = False, ended_days_ago: int | None = None) -> None:
    now = timezone.now()
    ends = None if ended_days_ago is None else now - timedelta(days=ended_days_ago)
    grant_entitlement(
        user=user,
        kind="trial" if trial else "subscription",
        starts_at=now - timedelta(days=60),
        ends_at=ends if ends is not None else now + timedelta(days=30),
        source_ref=f"test-{user.pk}-{trial}",
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


__all__ = ["data_remaining", "has_canary", "make_article", "paywall_state", "set_meter", "signed_in"]
