"""Shared fixtures. Feature-specific fixtures live in each test package's own conftest."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import ensure_wagtail_roots


@pytest.fixture
def wagtail_roots(transactional_db: Any) -> None:
    """A transactional test starts from an emptied database: put back what migrations created."""
    ensure_wagtail_roots()
