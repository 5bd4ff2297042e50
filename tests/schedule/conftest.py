"""Fixtures for scheduled work and expiry: a small publication and a clock that never hurries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.builders import Publication, make_publication


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    # Kept pages, the generation and throttles live in the cache: every test starts cold.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication(("Politics", "Business"))
