"""Shared fixtures. Feature-specific fixtures live in each test package's own conftest."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.builders import ensure_wagtail_roots

# Playwright's sync API keeps an event loop marked running in this thread while the browser is open;
# the ORM calls the tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium, launched once for the whole run: a second Playwright could not start
    while this one is open (its loop is running in this thread), and one launch keeps suites fast."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def wagtail_roots(transactional_db: Any) -> None:
    """A transactional test starts from an emptied database: put back what migrations created."""
    ensure_wagtail_roots()


@pytest.fixture(scope="session", autouse=True)
def _migrated_templates() -> Iterator[None]:
    """The session's migrated templates (tests/migrated.py: one `migrate` per run) go at its end."""
    yield
    from tests import migrated

    migrated.drop_templates()
