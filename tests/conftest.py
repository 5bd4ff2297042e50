"""Shared fixtures. Feature-specific fixtures live in each test package's own conftest."""

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    # The local-memory cache outlives each test's rolled-back database; the paywall caches its
    # settings there, so one test's meter limits must not reach the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
