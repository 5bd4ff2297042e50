"""Issue 11's acceptance walk: a reader's and an editor's first hour, through the real pages in
Chromium. Every reader page on the way is checked as it was sent: 0 Nu HTML checker errors, 0
serious or critical axe-core violations, no request to any other host (`audit` in conftest.py).

The reader: metered articles → the registration wall → "Register for free" → the verification
e-mail (its HTML part rendered) → its link → reads on to the offer → takes it with the demo payment
provider → the welcome and account pages say what was taken and what was paid. At 375 and 1280 px
with JavaScript on, and at 1280 px with it off.

The editor: logs in at /admin/, writes an article with a photo uploaded through the image chooser,
previews it as an anonymous reader in the preview panel, publishes it, changes the anonymous
allowance in Settings → Meter; a new anonymous reader is then told the new allowance.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import date_format
from wagtail.models import Site

from masthead.billing.demo import build_demo_billing
from masthead.billing.models import PaymentRecord, Subscription
from masthead.billing.money import format_money
from masthead.core.models import PublicationSettings
from tests.builders import canary_for, make_article, make_publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase for the first hour"


@pytest.fixture
def site(live_server: Any, wagtail_roots: None, settings: Any) -> dict[str, Any]:
    # The site's address is the live server's, as `make demo` sets it to the address it serves, so
    # the links in e-mails are followed as they are.
    settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url
    cache.clear()
    pub = make_publication(("Politics", "Business"))
    articles = [make_article(pub, section=pub.sections[i % 2], with_image=i == 0) for i in range(7)]
    build_demo_billing(io.StringIO())
    name = PublicationSettings.for_site(Site.objects.get(is_default_site=True)).name
    return {"url": live_server.url, "pub": pub, "articles": articles, "publication": name}


def paywall_state(page: Any) -> str | None:
    prompt = page.locator("[data-paywall-state]")
    return prompt.get_attribute("data-paywall-state") if prompt.count() else None


def main_text(page: Any) -> str:
    return " ".join(page.locator("main").inner_text().split())


def in_publication_time(value: Any) -> str:
    """A date as the site prints it to an English reader (the publication's zone)."""
    zone = PublicationSettings.for_site(Site.objects.get(is_default_site=True)).zone
    with translation.override("en"):
        return date_format(value.astimezone(zone), "DATE_FORMAT")


def verification_email(address: str, publication: str) -> tuple[str, str]:
    """The last e-mail sent to `address`: its confirmation link and its HTML part."""
    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no e-mail was sent to {address}"
    message = sent[-1]
    html = [content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body)
    assert link, message.body
    assert html, f"the verification e-mail has no HTML part: {message.subject!r}"
    assert link.group(0) in html[0], "the HTML part does not carry the same link"
    # From the publication by name, not from a host and port.
    assert publication in message.subject and "127.0.0.1" not in message.subject, message.subject
    assert publication in message.from_email, message.from_email
    return link.group(0), html[0]


WALKS = [
    pytest.param(375, True, id="375px-js"),
    pytest.param(1280, True, id="1280px-js"),
    pytest.param(1280, False, id="1280px-nojs"),
]


@pytest.mark.parametrize(("width", "javascript"), WALKS)
def test_a_reader_registers_from_the_wall_verifies_and_takes_the_offer(
    site: dict[str, Any], open_page: Any, audit: Any, screenshots: Path, width: int, javascript: bool
) -> None:
    base, articles = site["url"], site["articles"]
    tag = f"{width}{'' if javascript else '-nojs'}"
    email = f"first-hour-{tag}@example.com"
    page = audit.watch(open_page(width=width, javascript=javascript))

    def visit(url: str) -> None:
        page.goto(url if url.startswith("http") else base + url)
        audit.page(page, javascript=javascript)

    # An anonymous reader reads the free allowance (three) and meets the registration wall.
    states = []
    for article in articles[:4]:
        visit(article.url)
        states.append(paywall_state(page))
    assert states == ["metered-remaining", "metered-remaining", "metered-last", "registration-wall"]
    assert canary_for(articles[3].slug) not in page.content()

    # "Register for free" on the wall leads to a page that says the same.
    page.locator(".paywall").get_by_role("link", name="Register for free").first.click()
    page.wait_for_load_state()
    audit.page(page, javascript=javascript)
    assert page.locator("h1").inner_text() == "Register for free"
    assert page.get_by_role("button", name="Register").is_visible()
    page.screenshot(path=str(screenshots / f"first-hour-signup-{tag}.png"), full_page=True)

    page.get_by_label("E-mail", exact=False).first.fill(email)
    page.fill("input[name=password1]", PASSWORD)
    if page.locator("input[name=password2]").count():
        page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_load_state()
    audit.page(page, javascript=javascript)
    assert page.locator("h1").inner_text() == "Check your e-mail"

    # The verification e-mail: its HTML part, rendered as a mail client would show it.
    link, html = verification_email(email, site["publication"])
    assert link.startswith(base + "/"), f"the e-mailed link names another address: {link}"
    audit.add_html(f"verification e-mail to {email} (HTML part)", html)
    mail_view = open_page(width=width)
    mail_view.set_content(html)
    mail_view.screenshot(path=str(screenshots / f"first-hour-verification-email-{tag}.png"), full_page=True)
    assert mail_view.get_by_role("link", name=re.compile("confirm", re.IGNORECASE)).count() >= 1

    # The link confirms the address and brings the reader back to the article they were reading.
    visit(link)
    assert page.locator("h1").inner_text() == "Confirm your e-mail address"
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{articles[3].url}")
    audit.page(page, javascript=javascript)
    assert paywall_state(page) == "metered-remaining"
    assert canary_for(articles[3].slug) in page.content()

    # Registered: five a month, three used anonymously; the sixth article shows the offer.
    visit(articles[4].url)
    assert paywall_state(page) == "metered-last"
    visit(articles[5].url)
    assert paywall_state(page) == "offer"
    assert canary_for(articles[5].slug) not in page.content()
    offer = page.locator("[data-offer]")
    assert "3 months for $9" in offer.inner_text()

    # Take the offer; the demo payment provider stands in for Stripe.
    offer.get_by_role("link", name="Take this offer").click()
    page.wait_for_load_state()
    audit.page(page, javascript=javascript)
    page.get_by_role("button", name="Take 3 months for $9").click()
    page.wait_for_load_state()
    audit.page(page, javascript=javascript)
    assert "Demo checkout" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Complete demo payment").click()
    page.wait_for_load_state()
    audit.page(page, javascript=javascript)
    assert page.locator("h1").inner_text() == "Welcome, subscriber"

    # The welcome page says what was taken: the offer, the introductory price and for how long,
    # then the regular price and the date it changes.
    subscription = Subscription.objects.select_related("plan").get(user__email=email)
    assert subscription.intro_ends_at, "the subscription does not record when the intro price ends"
    intro_price = format_money(300, "USD", trim=True)
    regular_price = format_money(subscription.plan.price_minor, "USD", trim=True)
    change_date = in_publication_time(subscription.intro_ends_at)
    welcome = main_text(page)
    for fact in ("3 months for $9", intro_price, regular_price, change_date):
        assert fact in welcome, f"{fact!r} is not on the welcome page: {welcome}"

    # The account page says the same, and lists the payment.
    visit("/account/")
    account = main_text(page)
    for fact in ("3 months for $9", intro_price, regular_price, change_date):
        assert fact in account, f"{fact!r} is not on the account page: {account}"
    payment = PaymentRecord.objects.get(subscription=subscription, paid=True)
    for fact in (
        format_money(payment.amount_minor, payment.currency, trim=True),
        in_publication_time(payment.occurred_at),
    ):
        assert fact in account, f"the payment ({fact!r}) is not on the account page: {account}"
    page.screenshot(path=str(screenshots / f"first-hour-account-after-offer-{tag}.png"), full_page=True)

    # The subscriber now reads the article that showed the offer, in full.
    visit(articles[5].url)
    assert canary_for(articles[5].slug) in page.content()

    audit.assert_clean()
    assert len(audit.checked) >= 14, audit.checked
