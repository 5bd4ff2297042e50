"""Newsletters in a real browser: an anonymous reader signs up on /newsletters/, the confirmation
e-mail is read in the demo outbox, the reader confirms and finds the choice on /account/; an
editor previews the draft issue as a subscriber and as a lapsed reader (whole story vs teaser and
offer). Reader pages go through the Nu HTML checker and axe-core; screenshots are kept."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from masthead.billing.demo import build_demo_billing
from masthead.mail.models import OutboxMessage
from masthead.newsletters.demo import editors_note
from masthead.newsletters.models import Issue, IssueStory, Newsletter, NewsletterSubscription
from tests.builders import canary_for, make_article, make_publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "a long passphrase for the newsletter walk"


@pytest.fixture
def site(live_server: Any, wagtail_roots: None, settings: Any) -> dict[str, Any]:
    # Mail is kept in the outbox, as `make demo` keeps it, so the walk reads it where a newcomer would.
    settings.EMAIL_BACKEND = "masthead.mail.outbox.OutboxBackend"
    settings.MASTHEAD_OUTBOX_ANNOUNCE = False
    cache.clear()
    pub = make_publication(("Politics", "Business"))
    lead = make_article(pub, access="subscribers", title="Tessaly’s farmers count the cost", with_image=True)
    story = make_article(pub, title="Orrin Shipping reroutes its sailings")
    build_demo_billing(io.StringIO())
    daily = Newsletter.objects.create(
        name="The Daily Briefing",
        slug="daily-briefing",
        description="The morning’s most important stories, in five minutes.",
        schedule="Weekdays at 7:00",
        audience="registered",
        sort_order=1,
    )
    Newsletter.objects.create(
        name="Markets Weekly",
        slug="markets-weekly",
        description="Our markets desk on the week.",
        schedule="Fridays at 16:00",
        audience="subscribers",
        sort_order=2,
    )
    issue = Issue.objects.create(
        newsletter=daily,
        subject="Tessaly’s farmers count the cost",
        intro="Good morning. Today: a harvest nobody will buy.",
        article=lead,
        body=editors_note(),  # the demo issue's own blocks: heading, paragraphs, a quote, a divider
    )
    IssueStory.objects.create(issue=issue, article=story, sort_order=0)
    # An issue sent earlier, in the web archive.
    Issue.objects.create(
        newsletter=daily,
        subject="Yesterday’s briefing",
        intro="Good morning. Yesterday: the grain trade.",
        article=lead,
        status="sent",
        finished_at=timezone.now(),
    )
    get_user_model().objects.create_superuser(email="editor@example.com", password=PASSWORD)
    return {"url": live_server.url, "lead": lead, "issue": issue}


def status_text(page: Any) -> str:
    return " ".join(page.get_by_role("status").inner_text().split())


def test_sign_up_confirm_and_preview(site, open_page, audit, screenshots):
    base = site["url"]
    reader = audit.watch(open_page(width=1280))

    # An anonymous reader chooses the free newsletter; the subscribers' one shows the offer.
    reader.goto(base + "/newsletters/")
    audit.page(reader)
    assert reader.locator("[data-newsletter=markets-weekly] [data-newsletter-offer]").count() == 1
    reader.get_by_label("The Daily Briefing").check()
    reader.get_by_label("Your e-mail address").fill("walker@example.com")
    reader.get_by_role("button", name="Sign up").click()
    reader.wait_for_url("**/newsletters/")
    audit.page(reader)
    assert "we have e-mailed a link to walker@example.com" in status_text(reader)
    reader.screenshot(path=str(screenshots / "newsletters-signed-up.png"), full_page=True)
    assert not NewsletterSubscription.objects.exists()

    # The editor reads the confirmation in the demo outbox.
    editor = open_page(width=1280, height=1700)
    editor.goto(base + "/admin/login/")
    editor.fill("input[name=username]", "editor@example.com")
    editor.fill("input[name=password]", PASSWORD)
    editor.locator("form [type=submit]").first.click()
    editor.wait_for_url("**/admin/")
    editor.goto(base + "/admin/outbox/")
    editor.get_by_role("link", name=re.compile("Confirm your newsletters")).click()
    assert editor.locator("[data-outbox-to]").inner_text() == "walker@example.com"
    assert (
        "Confirm my newsletters"
        in editor.frame_locator("iframe[data-outbox-html]").locator("body").inner_text()
    )
    editor.screenshot(path=str(screenshots / "newsletters-outbox-confirmation.png"), full_page=True)
    kept = OutboxMessage.objects.get()
    audit.add_html("confirmation e-mail", kept.html)
    link = re.search(
        r"https?://[^/\s]+(/newsletters/confirm/\S+/)", editor.locator("[data-outbox-text]").inner_text()
    )
    assert link, kept.text

    # The reader follows the link in the browser that signed up, confirms, and is signed in.
    reader.goto(base + link.group(1))
    audit.page(reader)
    reader.get_by_role("button", name="Confirm").click()
    reader.wait_for_url("**/account/")
    audit.page(reader)
    assert status_text(reader) == "Confirmed: walker@example.com receives The Daily Briefing."
    assert reader.get_by_label("The Daily Briefing").is_checked()
    reader.locator("#newsletters").scroll_into_view_if_needed()
    reader.screenshot(path=str(screenshots / "newsletters-account-choices.png"), full_page=True)

    # The archive: the sent issue, its subscribers-only lead cut for this registered reader.
    reader.goto(base + "/newsletters/daily-briefing/")
    audit.page(reader)
    reader.get_by_role("link", name="Yesterday’s briefing").click()
    audit.page(reader)
    assert reader.locator("[data-paywall-state]").count() == 1
    assert canary_for(site["lead"].slug) not in reader.content()
    reader.screenshot(path=str(screenshots / "newsletters-archive-issue-registered.png"), full_page=True)

    # From the article's page in the admin, "Send as newsletter issue" starts a draft with it.
    editor.goto(f"{base}/admin/pages/{site['lead'].pk}/edit/")
    editor.locator("#w-slim-header-buttons").get_by_role("button", name="Actions").click()
    editor.get_by_role("link", name="Send as newsletter issue").click()
    editor.wait_for_url(re.compile(r".*/admin/newsletters/issues/new/\?article=\d+$"))
    assert editor.locator("#id_subject").input_value() == "Tessaly’s farmers count the cost"
    editor.screenshot(path=str(screenshots / "newsletters-compose-from-article.png"), full_page=True)
    editor.get_by_role("button", name="Save draft").click()
    editor.wait_for_url(re.compile(r".*/admin/newsletters/issues/\d+/$"))
    editor.locator("[data-send-test]").click()
    assert "A test copy is on its way to editor@example.com." in editor.locator("main").inner_text()
    assert OutboxMessage.objects.filter(subject__contains="[TEST]").count() == 1
    editor.screenshot(path=str(screenshots / "newsletters-issue-desk.png"), full_page=True)

    # The editor previews the draft issue as a subscriber (whole story) and a lapsed reader
    # (teaser and the offer that fits them).
    canary = canary_for(site["lead"].slug)
    for kind, whole in (("subscriber", True), ("lapsed", False)):
        editor.goto(f"{base}/admin/newsletters/issues/{site['issue'].pk}/preview/?as={kind}")
        frame = editor.frame_locator("iframe[data-preview-html]").locator("body")
        text = frame.inner_text()
        assert "Tessaly’s farmers count the cost" in text
        assert (canary in text) is whole
        if not whole:
            assert "Subscribe" in text or "subscribe" in text
        editor.locator("iframe[data-preview-html]").evaluate("f => f.style.height = '2400px'")
        editor.screenshot(path=str(screenshots / f"newsletters-preview-{kind}.png"), full_page=True)

    # Every reader kind side by side: each copy has the editor's note; only the entitled have the
    # whole story.
    editor.goto(f"{base}/admin/newsletters/issues/{site['issue'].pk}/preview/?as=all")
    copies = editor.locator("[data-issue-preview-copy]")
    assert copies.count() == 6
    whole_for = set()
    for index in range(6):
        kind = copies.nth(index).get_attribute("data-issue-preview-copy")
        body = editor.frame_locator(f'[data-issue-preview-copy="{kind}"] iframe').locator("body")
        text = body.inner_text()
        assert "FROM THE EDITOR" in text.upper() and "lose money on every tonne" in text
        if canary in text:
            whole_for.add(kind)
    assert whole_for == {"subscriber", "trialist"}
    editor.set_viewport_size({"width": 1900, "height": 1100})
    editor.screenshot(path=str(screenshots / "newsletters-preview-side-by-side.png"), full_page=True)

    audit.assert_clean()
