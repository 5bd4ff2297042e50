from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.builders import make_publication


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db):
    return make_publication(("Politics", "Business"))
