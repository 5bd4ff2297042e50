"""Browser tests: Debian's Chromium driven by Playwright against a live server on 127.0.0.1.

The server is pytest-django's live server (a thread in this process, on a free port), so the
tests share its test database; every test builds the content it needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Bind the live server to the loopback address, on a free port chosen by the OS.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
# Playwright's sync API runs an event loop in this thread; our ORM calls here are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


class RequestLog:
    """Every request a page makes, so a test can prove nothing leaves this machine."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def record(self, request: object) -> None:
        self.urls.append(request.url)  # type: ignore[attr-defined]

    def external(self) -> list[str]:
        return [
            url
            for url in self.urls
            if not url.startswith(("data:", "blob:", "about:")) and urlsplit(url).hostname not in LOCAL_HOSTS
        ]


@pytest.fixture
def request_log() -> RequestLog:
    return RequestLog()


@pytest.fixture
def open_page(browser, request_log):
    """A factory for pages at a given viewport width, with every request recorded."""
    contexts = []

    def _open(*, width: int = 1280, height: int = 900, javascript: bool = True, bypass_csp: bool = False):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,
        )
        contexts.append(context)
        page = context.new_page()
        page.on("request", request_log.record)
        return page

    yield _open
    for context in contexts:
        context.close()
