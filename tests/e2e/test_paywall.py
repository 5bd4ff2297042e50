"""Acceptance 1: an anonymous reader reads metered articles until the registration wall,
registers, reads on to the offer — with JavaScript on and off — and never sees a gated sentence
past a wall."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache

from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.e2e


@pytest.fixture
def site(live_server: Any, wagtail_roots: None) -> dict[str, Any]:
    cache.clear()
    pub = make_publication()
    articles = [make_article(pub, section=pub.sections[i % 2]) for i in range(7)]
    return {"url": live_server.url, "articles": articles}


def prompt_of(page: Any) -> tuple[str, str | None, str]:
    prompt = page.locator("[data-paywall-state]")
    assert prompt.count() == 1
    return (
        prompt.get_attribute("data-paywall-state"),
        prompt.get_attribute("data-remaining"),
        page.locator(".paywall__message").inner_text().strip(),
    )


def read(page: Any, base: str, article: Any) -> tuple[tuple[str, str | None, str], bool]:
    page.goto(base + article.url)
    return prompt_of(page), canary_for(article.slug) in page.content()


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
def test_reader_meets_the_wall_registers_and_reads_on_to_the_offer(
    site: dict[str, Any], open_page: Any, screenshots: Path, javascript: bool
) -> None:
    base, articles = site["url"], site["articles"]
    page = open_page(javascript=javascript)
    tag = "js" if javascript else "nojs"

    # given an anonymous reader with three free articles a month
    journey = [read(page, base, a) for a in articles[:3]]
    assert journey == [
        (("metered-remaining", "2", "You have 2 free articles left this month."), True),
        (("metered-remaining", "1", "You have 1 free article left this month."), True),
        (("metered-last", "0", "This is your last free article this month."), True),
    ]
    page.screenshot(path=str(screenshots / f"paywall-last-{tag}.png"), full_page=True)

    # when the fourth article is opened, the registration wall replaces the rest of the story
    (state, remaining, text), full = read(page, base, articles[3])
    assert (state, remaining, full) == ("registration-wall", None, False)
    assert "Register for free to keep reading" in text
    page.screenshot(path=str(screenshots / f"paywall-registration-wall-{tag}.png"), full_page=True)

    # the reader registers from the wall and comes back to the same article
    page.locator(".paywall").get_by_role("link", name="Register for free").click()
    page.fill("input[name=email]", f"reader-{tag}@example.com")
    page.fill("input[name=password1]", "a long passphrase 42")
    page.fill("input[name=password2]", "a long passphrase 42")
    page.locator("form").filter(has=page.locator("input[name=password2]")).locator("[type=submit]").click()
    # E-mail verification is mandatory: no registered benefits until the e-mailed link is opened.
    assert "Check your e-mail" in page.locator("h1").inner_text()
    page.screenshot(path=str(screenshots / f"paywall-check-your-email-{tag}.png"), full_page=True)
    assert read(page, base, articles[3])[0][0] == "registration-wall"
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(base + link.group(1))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{articles[3].url}")

    # then the account carries the three anonymous reads: five free, so this one leaves one
    assert prompt_of(page) == ("metered-remaining", "1", "You have 1 free article left this month.")
    assert canary_for(articles[3].slug) in page.content()
    (state, remaining, text), full = read(page, base, articles[4])
    assert (state, remaining, text, full) == (
        "metered-last",
        "0",
        "This is your last free article this month.",
        True,
    )

    # and the next article shows the offer panel, without the gated part
    (state, remaining, text), full = read(page, base, articles[5])
    assert (state, remaining, full) == ("offer", None, False)
    assert (
        page.get_by_role("link", name="See all offers and subscribe").get_attribute("href")
        == "/subscribe/?from=wall"
    )
    page.screenshot(path=str(screenshots / f"paywall-offer-{tag}.png"), full_page=True)
    # Re-reading an article counted earlier is still free; an uncounted one stays closed.
    assert read(page, base, articles[0])[1] is True
    assert read(page, base, articles[6])[1] is False

    # Signing out leaves the browser where the account was: the wall, not a fresh allowance.
    page.goto(base + "/accounts/logout/")
    page.locator("main form [type=submit]").first.click()
    (state, remaining, text), full = read(page, base, articles[6])
    assert (state, full) == ("registration-wall", False)
    page.screenshot(path=str(screenshots / f"paywall-after-logout-{tag}.png"), full_page=True)
