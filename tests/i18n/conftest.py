"""Fixtures for the interface-language tests: a small publication and a clean cache."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import translation

from tests.builders import Publication, make_article, make_publication


@pytest.fixture(autouse=True)
def _cold_cache_in_english() -> Iterator[None]:
    # Kept pages and fragments are per language, but a test must not inherit another's; and a
    # request with Accept-Language: ja leaves Japanese active in the thread afterwards.
    cache.clear()
    with translation.override("en"):
        yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Publication:
    pub = make_publication(("Politics", "Business"))
    make_article(pub, title="Ministers meet in Valdora", with_image=True)
    make_article(pub, title="Harbour strike enters its second week")
    return pub
