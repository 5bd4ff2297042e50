"""Fixtures for the apps API tests: a small publication, readers, and tokens for them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from masthead.api.tokens import issue_device_token, issue_user_token
from tests.builders import Publication, make_article, make_publication, make_reader

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    # Rate limits, the paywall settings snapshot and the featured offer live in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication()


@pytest.fixture
def articles(pub: Publication) -> list[Any]:
    """Six metered articles, oldest first, in the first section."""
    return [make_article(pub) for _ in range(6)]


@pytest.fixture
def reader(db: Any) -> Any:
    return make_reader("reader@example.com", PASSWORD)


@pytest.fixture
def api() -> Client:
    return Client()


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def reader_token(reader: Any) -> str:
    return issue_user_token(user=reader, device_name="Test phone").token


@pytest.fixture
def device_token(db: Any) -> str:
    return issue_device_token(device_name="Anonymous tablet").token


@pytest.fixture
def read_article(api: Client) -> Callable[..., Any]:
    def read(article: Any, token: str, **params: str) -> Any:
        return api.get(f"/api/v1/articles/{article.pk}", params, **bearer(token))

    return read
