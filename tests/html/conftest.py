"""Fixtures for the markup checks: a cold cache and English unless a page asks for Japanese."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _cold_cache_in_english() -> Iterator[None]:
    # A request with Accept-Language: ja leaves Japanese active in the thread afterwards.
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()
