"""Browser tests: Debian's Chromium driven by Playwright against a live server on 127.0.0.1.

The server is pytest-django's live server (a thread in this process, on a free port), so the
tests share its test database; every test builds the content it needs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.e2e.nu import NuChecker, unavailable_reason

# Bind the live server to the loopback address, on a free port chosen by the OS.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")
SCREENSHOTS = Path(__file__).parent / "screenshots"
AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(request: pytest.FixtureRequest, settings: Any) -> None:
    """Links the site writes (canonical, print footer, e-mails) name the server the browser uses."""
    if "live_server" in request.fixturenames:
        url = request.getfixturevalue("live_server").url
        settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = url


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


def axe_serious(target: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on a page or frame (run through the DevTools
    protocol, so the page's CSP stays in force; pages with JavaScript off cannot run it)."""
    if not target.evaluate("() => typeof axe === 'object'"):
        target.evaluate(AXE_PATH.read_text(encoding="utf-8") + "\n;0")
    result = target.evaluate("async () => await axe.run(document)")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:3],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def is_reader_page(url: str) -> bool:
    """The pages we own: everything but Wagtail's admin, except the admin's preview, which is the
    reader's page rendered for the editor."""
    path = urlsplit(url).path
    return not path.startswith("/admin/") or path.endswith("/preview/")


class PageAudit:
    """Every reader page a walk visits, checked as the issue requires: its HTML exactly as the
    server sent it goes to the Nu HTML checker (all pages of a test in one run), axe-core runs in
    the page as the reader got it, and the request log must name no other host."""

    def __init__(self, nu: NuChecker, request_log: RequestLog) -> None:
        self.nu = nu
        self.request_log = request_log
        self.pending: list[Any] = []
        self.axe: dict[str, list[dict[str, Any]]] = {}
        self.checked: list[str] = []
        self.console_errors: list[str] = []

    def watch(self, page: Any) -> Any:
        # Only remember responses here: reading a body inside the event handler waits for the
        # next browser call, so bodies are read in `page()`, right after the page has loaded.
        page.on("response", self._remember)
        page.on("console", self._console)
        return page

    def _remember(self, response: Any) -> None:
        self.pending.append(response)

    def _console(self, message: Any) -> None:
        # A CSP violation or a script error on a reader page shows up here.
        source = message.location.get("url", "") if message.location else ""
        if message.type == "error" and is_reader_page(source):
            self.console_errors.append(f"{source}: {message.text}")

    def _save_pending(self) -> None:
        pending, self.pending = self.pending, []
        for response in pending:
            request = response.request
            if request.resource_type != "document" or not 200 <= response.status < 300:
                continue
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            if is_reader_page(response.url):
                self.nu.add(response.url, response.text())
                self.checked.append(response.url)

    def page(self, target: Any, *, javascript: bool = True) -> None:
        """Call once a reader page (or the preview's frame) has loaded."""
        self._save_pending()
        if javascript:
            violations = axe_serious(target)
            if violations:
                self.axe[target.url] = violations

    def add_html(self, label: str, html: str) -> None:
        """HTML that did not come over HTTP (an e-mail's HTML part)."""
        self.nu.add(label, html)
        self.checked.append(label)

    def problems(self) -> dict[str, Any]:
        self._save_pending()
        found: dict[str, Any] = {}
        nu_errors = [str(error) for error in self.nu.errors()]
        if nu_errors:
            found["Nu HTML checker errors"] = nu_errors
        if self.axe:
            found["axe serious/critical violations"] = self.axe
        if self.console_errors:
            found["console errors"] = self.console_errors
        if self.request_log.external():
            found["requests to other hosts"] = self.request_log.external()
        return found

    def assert_clean(self) -> None:
        problems = self.problems()
        lines = [f"{len(self.checked)} pages checked"]
        for kind, items in problems.items():
            lines.append(f"{kind}:")
            entries = items.items() if isinstance(items, dict) else ((item, None) for item in items)
            lines.extend(f"  {entry}" + (f" {detail}" if detail else "") for entry, detail in entries)
        assert not problems, "\n".join(lines)


@pytest.fixture
def audit(request_log: RequestLog, tmp_path: Path) -> PageAudit:
    reason = unavailable_reason()
    if reason:
        pytest.skip(reason)
    assert AXE_PATH.exists(), f"{AXE_PATH} is missing: run `npm ci --ignore-scripts`"
    return PageAudit(NuChecker(tmp_path / "nu"), request_log)
