"""Every page type a reader can meet, in every reader state, passes the Nu HTML checker with 0 errors.

The pages are fetched with the Django test client (tests/html/tour.py) and checked in ONE run of
vnu.jar (one JVM start). A failure lists each error with its page, reader state, URL, line and
message. The checker's warnings are allowed only when listed in ALLOWED_WARNINGS with a reason.

Every page template in masthead/templates must be rendered by the walk (or be named in
NOT_A_READER_PAGE with a reason), so a new page type cannot slip past the checker.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.nu import NuChecker, NuMessage, unavailable_reason
from tests.html.tour import READER_STATES, Seen, walk_every_page

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "masthead" / "templates"

# Templates under masthead/templates that are no reader page of their own, and why.
NOT_A_READER_PAGE = {
    # E-mails (these and every `email/` folder) are checked by the e-mail suite (tests/mail), not as pages.
    "newsletters/confirm_signup.html",
    "account/password_reset_help_text.html",  # a text fragment for a form's help text
    "account/messages/",  # message texts that allauth reads, not markup
}

KNOWN_BAD = "the checker's own check: a list inside a span inside a paragraph"

# Warnings the checker may give, each with the reason it is accepted. Anything else fails.
ALLOWED_WARNINGS: dict[str, str] = {}


def reader_page_templates() -> set[str]:
    names = {str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")}
    # Any `admin/` folder holds the newsroom's panels, rendered inside Wagtail's admin, not for readers;
    # any `email/` folder holds e-mails.
    return {
        name
        for name in names
        if not {"admin", "email"} & set(name.split("/")[:-1])
        and not any(name.startswith(skip) for skip in NOT_A_READER_PAGE)
    }


def report(messages: list[NuMessage], pages: dict[str, Seen]) -> str:
    """Errors grouped by page and state, each with its line, message and the markup around it."""
    by_page: dict[str, list[NuMessage]] = defaultdict(list)
    for message in messages:
        by_page[message.url].append(message)
    lines = [f"{len(messages)} problems on {len(by_page)} of {len(pages)} pages:"]
    for key, found in by_page.items():
        seen = pages.get(key)
        lines.append(
            f"- {seen.label if seen else key}" + (f" (templates: {seen.page_templates})" if seen else "")
        )
        for message in found:
            where = f"line {message.line}" if message.line else "line ?"
            lines.append(f"    {message.kind} {where}: {message.message}  [{message.extract.strip()[:120]}]")
    return "\n".join(lines)


def test_the_report_names_page_state_line_and_message() -> None:
    seen = Seen("sign up", "anonymous, Japanese", "/accounts/signup/", 200, "", ["account/signup.html"])
    message = NuMessage(
        url="page-007",
        line=31,
        column=5,
        message="Stray end tag “span”.",
        extract="</ul></span>",
        kind="error",
    )
    text = report([message], {"page-007": seen})
    assert "- sign up [anonymous, Japanese] /accounts/signup/ (templates: account/signup.html)" in text
    assert "error line 31: Stray end tag “span”.  [</ul></span>]" in text


def test_every_page_in_every_reader_state_has_no_markup_errors(
    settings: Any, tmp_path: Path, record_property
) -> None:
    # given every page a reader meets, in every state
    walk_started = time.monotonic()
    tour = walk_every_page(settings)
    record_property("walk seconds", round(time.monotonic() - walk_started, 1))

    # the states were really reached: the lead article showed each state's prompt (or none)
    prompts = {
        s.state: s.paywall for s in tour.seen if s.page == "article: metered, hero photo, every body block"
    }
    assert {state: prompts.get(state) for state in READER_STATES} == READER_STATES
    # and every page template was rendered by the walk
    rendered = {name for seen in tour.seen for name in seen.templates}
    never_opened = sorted(reader_page_templates() - rendered)
    assert not never_opened, f"page templates the walk never rendered: {never_opened}"

    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    # when the checker reads them all in one run, with one page known to be wrong as its own check
    checker = NuChecker(tmp_path / "nu")
    pages = {seen.label: seen for seen in tour.seen}
    for seen in tour.seen:
        checker.add(seen.label, seen.html)
    checker.add(
        KNOWN_BAD, "<!doctype html>\n<html lang=en><title>Bad</title>\n<p><span><ul><li>x</ul></span>"
    )
    started = time.monotonic()
    messages = checker.messages()
    record_property("nu pages", len(checker.pages))
    record_property("nu seconds", round(time.monotonic() - started, 1))

    # then the known-wrong page is reported where it is wrong (the run read the files it was given)
    assert ("error", 3, "Stray end tag “span”.") in {
        (m.kind, m.line, m.message) for m in messages if m.url == KNOWN_BAD
    }
    # and no page has an error, or a warning but the accepted ones
    problems = [
        m
        for m in messages
        if m.url != KNOWN_BAD
        and m.kind != "info"
        and not (m.kind == "warning" and m.message in ALLOWED_WARNINGS)
    ]
    assert not problems, report(problems, pages)
