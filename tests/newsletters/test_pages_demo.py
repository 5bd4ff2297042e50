"""`make demo`'s newsletters: two of them, the demo readers subscribed, and one draft issue whose
lead story is subscribers-only — whole for a subscriber, a teaser and the offer for a lapsed one."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.management import call_command
from django.utils.html import strip_tags

from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription
from masthead.newsletters.rendering import render_issue_as
from tests.demo.built import demo_fixture

pytestmark = pytest.mark.django_db

# The demo built once for the session and copied in for this module (tests/demo/built.py): its
# first `build_demo` output is what the first run printed.
demo = demo_fixture()


def build() -> str:
    out = io.StringIO()
    call_command("build_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_newsletters_readers_and_an_issue_ready_to_send(client, demo):
    output = demo
    assert "/newsletters/" in output
    audiences = dict(Newsletter.objects.values_list("name", "audience"))
    assert audiences == {"The Daily Briefing": "registered", "Markets Weekly": "subscribers"}
    chosen = set(NewsletterSubscription.objects.active().values_list("reader__email", "newsletter__slug"))
    for email in ("reader", "subscriber", "trial", "expired-trial", "lapsed"):
        assert (f"{email}@example.com", "daily-briefing") in chosen
    assert ("subscriber@example.com", "markets-weekly") in chosen
    assert ("reader@example.com", "markets-weekly") not in chosen

    issue = Issue.objects.get()
    assert issue.status == "draft" and issue.newsletter.slug == "daily-briefing"
    lead = issue.article.specific
    assert lead.access_level == "subscribers"
    paragraphs = [
        unescape(strip_tags(b.value.source)).strip() for b in lead.body if b.block_type == "paragraph"
    ]
    last_paragraph = paragraphs[-1][:40]
    as_subscriber = render_issue_as(issue, "subscriber").body
    as_lapsed = render_issue_as(issue, "lapsed").body
    assert last_paragraph in as_subscriber
    assert last_paragraph not in as_lapsed
    assert paragraphs[0][:40] in as_lapsed  # the teaser
    # Every copy opens with the editor's note (the issue's own blocks) and ends with the linked stories.
    stories = [story.article.title for story in issue.story_links.order_by("sort_order")]
    assert len(stories) == 2
    for copy in (as_subscriber, as_lapsed):
        assert "FROM THE EDITOR" in copy  # the heading, as plain text writes it
        assert "we are going to lose money on every tonne" in copy  # the quote
        assert copy.index("FROM THE EDITOR") < copy.index(paragraphs[0][:40])  # the note comes first
        assert all(title in copy for title in stories)
    html = next(
        str(c) for c, mimetype in render_issue_as(issue, "lapsed").alternatives if mimetype == "text/html"
    )
    assert "<blockquote" in html and "From the editor" in html
    # The foot of every copy gives the publisher's physical address.
    assert "120 Harbour Street" in as_subscriber and "120 Harbour Street" in as_lapsed

    page = client.get("/newsletters/").content.decode()
    assert "The Daily Briefing" in page and "Markets Weekly" in page

    # A second run creates nothing.
    assert "Newsletters: already in place." in build()
    assert Issue.objects.count() == 1 and NewsletterSubscription.objects.count() == len(chosen)
