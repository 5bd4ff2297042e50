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
from masthead.news.models import ArticlePage
from tests.builders import canary_for, make_article, make_publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long passphrase for the first hour"
BODY = [
    "The first ships were worked at dawn, and by noon the queue of lorries had cleared the ring road.",
    "Union leaders said the agreement restores the overtime rates cut in the spring.",
    "The port authority expects the backlog of 140 vessels to clear within ten days.",
    "Shipping lines had diverted cargo to Kessen during the strike; some say they will not return.",
    "GATED-LINE: the closing paragraph of the editor's story, for readers with access only.",
]


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
    # Messages about the sign-up belong where it happened, not pages later on the offers.
    offers = main_text(page).lower()
    assert "signed in" not in offers and "confirmation e-mail sent" not in offers, offers
    assert "confirmation email sent" not in offers, offers
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
    page.screenshot(path=str(screenshots / f"first-hour-welcome-{tag}.png"), full_page=True)
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


def in_preview(page: Any, mode: str, check: Any) -> None:
    """Run `check` on the preview panel's page for `mode`. Wagtail's panel swaps in a new iframe
    whenever it sees the form change (the rich-text editor settles a moment after typing, later on
    a busy machine), so a frame can be detached under a check: take the newest one and check again."""
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(4):
        page.wait_for_timeout(600)
        frames = [f for f in page.frames if "/preview/" in f.url and mode in f.url and not f.is_detached()]
        if not frames:
            continue
        try:
            check(frames[-1])
            return
        except PlaywrightError as error:
            if "detached" not in str(error) or attempt == 3:
                raise
    raise AssertionError(f"no preview frame for {mode}")


def photo_file(directory: Path) -> Path:
    """A real JPEG, as an editor's camera or agency would hand it over."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    path = directory / "harbour-cranes.jpg"
    image = PILImage.new("RGB", (1600, 900), (52, 96, 140))
    draw = ImageDraw.Draw(image)
    for x in range(120, 1600, 260):
        draw.rectangle((x, 260, x + 40, 820), fill=(230, 160, 40))
        draw.rectangle((x - 80, 240, x + 200, 270), fill=(230, 160, 40))
    draw.rectangle((0, 820, 1600, 900), fill=(30, 40, 50))
    image.save(path, format="JPEG", quality=85)
    return path


def test_an_editor_writes_previews_as_a_reader_publishes_and_changes_the_meter(
    site: dict[str, Any], open_page: Any, audit: Any, screenshots: Path, tmp_path: Path, settings: Any
) -> None:
    from django.contrib.auth import get_user_model

    # Autosave off in this walk: the test database is SQLite in memory with a shared cache, which
    # refuses ("database table is locked") an autosave that lands while the preview renders; the
    # embedded file database waits instead. Autosave has its own tests (tests/news/test_editor.py).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    base, section = site["url"], site["pub"].sections[1]
    get_user_model().objects.create_superuser(email="editor@example.com", password=PASSWORD)
    page = audit.watch(open_page(width=1280))

    page.goto(base + "/admin/login/")
    page.fill("input[name=username]", "editor@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url("**/admin/")

    # A new story in Business, from the section's page listing.
    page.goto(f"{base}/admin/pages/{section.pk}/")
    page.get_by_role("link", name=re.compile("Add child page")).first.click()
    page.wait_for_url("**/add/news/articlepage/**")
    page.screenshot(path=str(screenshots / "first-hour-editor-new-story.png"), full_page=True)

    headline = "Harbour cranes return to work as the strike ends"
    page.fill("#id_title", headline)
    page.fill("#id_standfirst", "Dockers voted to accept the port authority's offer after three weeks.")

    # The photo is uploaded through the image chooser, as an editor would.
    page.get_by_role("button", name="Choose an image").first.click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("tab", name="Upload").click()
    modal.locator("input[type=file]").set_input_files(str(photo_file(tmp_path)))
    modal.locator("input[name$=title]").fill("Harbour cranes at dawn")
    modal.get_by_role("button", name="Upload").click()
    modal.wait_for(state="hidden")
    page.fill("#id_hero_caption", "Cranes at the container terminal on Monday, the first day back.")
    page.fill("#id_hero_credit", "Test Photographer/Ledger")
    page.screenshot(path=str(screenshots / "first-hour-editor-photo.png"), full_page=True)

    # The body: one paragraph block, typed into the rich-text editor.
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").first.click()
    editor = page.locator("[data-contents='true'], .public-DraftEditor-content").first
    editor.click()
    page.keyboard.type(BODY[0])
    for paragraph in BODY[1:]:
        page.keyboard.press("Enter")
        page.keyboard.type(paragraph)
    page.screenshot(path=str(screenshots / "first-hour-editor-body.png"))

    page.get_by_role("button", name="Choose author").first.click()
    modal.get_by_role("link", name="Ada Reporter").click()
    modal.wait_for(state="hidden")

    # The preview panel, as an anonymous reader: the story as that reader would get it.
    page.locator("button[data-side-panel-toggle=preview]").click()
    page.select_option("#id_preview_mode", "anonymous")
    preview = page.frame_locator("iframe.w-preview__iframe, .w-preview iframe").first
    preview.locator("h1").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshots / "first-hour-editor-preview-anonymous.png"))

    def shows_the_story_to_an_anonymous_reader(frame: Any) -> None:
        assert frame.locator("h1").inner_text() == headline
        assert paywall_state(frame) == "metered-remaining"
        assert frame.locator(".paywall__message").inner_text() == "You have 2 free articles left this month."
        assert frame.locator("figure.hero img").evaluate("img => img.complete && img.naturalWidth > 0")
        assert BODY[-1] in frame.locator("main").inner_text()
        audit.page(frame)

    in_preview(page, "mode=anonymous", shows_the_story_to_an_anonymous_reader)

    # At the anonymous limit the same preview shows the registration wall and not the gated text.
    page.select_option("#id_preview_mode", "anonymous-wall")
    walled = page.frame_locator(".w-preview iframe").last
    walled.locator("[data-paywall-state=registration-wall]").wait_for()

    def shows_the_wall_without_the_gated_text(frame: Any) -> None:
        assert paywall_state(frame) == "registration-wall"
        assert BODY[-1] not in frame.content()
        audit.page(frame)

    in_preview(page, "mode=anonymous-wall", shows_the_wall_without_the_gated_text)

    # Publish.
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/pages/{section.pk}/")
    story = ArticlePage.objects.get(title=headline)
    assert story.live and story.hero_image.title == "Harbour cranes at dawn"
    assert story.hero_image.file.name.endswith(".jpg")

    # Settings → Meter: two free articles for anonymous readers instead of three.
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Meter").click()
    page.fill("#id_anonymous_limit", "2")
    page.get_by_role("button", name="Save").click()
    page.locator(".messages .success").wait_for()
    page.screenshot(path=str(screenshots / "first-hour-editor-meter-saved.png"))
    assert page.locator("#id_anonymous_limit").input_value() == "2"
    assert audit.request_log.external() == []

    # A new anonymous reader opens the new story and is told the new allowance.
    reader = audit.watch(open_page(width=375))
    reader.goto(base + story.url)
    audit.page(reader)
    assert reader.locator("h1").inner_text() == headline
    assert reader.locator("[data-paywall-state]").get_attribute("data-remaining") == "1"
    assert reader.locator(".paywall__message").inner_text() == "You have 1 free article left this month."
    assert BODY[-1] in reader.locator("main").inner_text()

    assert sum("/preview/" in url for url in audit.checked) >= 2, audit.checked
    audit.assert_clean()


def test_the_nu_checker_names_each_error_with_its_page_and_line(tmp_path: Path) -> None:
    from tests.e2e.nu import NuChecker, unavailable_reason

    if reason := unavailable_reason():
        pytest.skip(reason)
    checker = NuChecker(tmp_path)
    checker.add("http://127.0.0.1/valid/", "<!doctype html><html lang=en><title>Fine</title><p>Fine.")
    checker.add(
        "http://127.0.0.1/signup/",
        "<!doctype html>\n<html lang=en><title>Sign up</title>\n<p><span><ul><li>8 characters</ul></span>",
    )
    errors = checker.errors()
    assert errors, "the checker found nothing wrong with a list inside a span inside a paragraph"
    assert {error.url for error in errors} == {"http://127.0.0.1/signup/"}
    assert all(error.line == 3 for error in errors)
    assert "Stray end tag “span”." in [error.message for error in errors]
