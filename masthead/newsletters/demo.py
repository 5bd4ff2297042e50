"""The demo's newsletters: "The Daily Briefing" (every registered reader) and "Markets Weekly"
(subscribers), the demo readers subscribed, and one issue ready to send — a draft whose lead
article is subscribers-only, so previewing it as a subscriber and as a lapsed reader shows the
whole story and the teaser with the offer. The issue reads like a real one: the editor's note
(heading, paragraphs, a quote from the reporting, a divider) above the lead, two linked stories
below. Idempotent: a second run creates nothing (an older demo issue without a body gets one)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django.utils import timezone
from wagtail.rich_text import RichText

from masthead.accounts.models import User
from masthead.news.models import ArticlePage
from masthead.newsletters.models import Issue, IssueStory, Newsletter, NewsletterSubscription

DAILY = {
    "slug": "daily-briefing",
    "name": "The Daily Briefing",
    "description": "The morning’s most important stories from the newsroom, in five minutes.",
    "audience": Newsletter.Audience.REGISTERED,
    "schedule": "Weekdays at 7:00",
    "sort_order": 10,
}
MARKETS = {
    "slug": "markets-weekly",
    "name": "Markets Weekly",
    "description": "Our markets desk on the week’s prices, trades and what to watch next.",
    "audience": Newsletter.Audience.SUBSCRIBERS,
    "schedule": "Fridays at 16:00",
    "sort_order": 20,
}
# Who receives what: everyone the Briefing; subscribers (and the lapsed reader, who joined while
# subscribed) Markets Weekly. The paywall decides what each copy contains, not this list.
READERS = {
    "reader@example.com": ("daily-briefing",),
    "subscriber@example.com": ("daily-briefing", "markets-weekly"),
    "trial@example.com": ("daily-briefing", "markets-weekly"),
    "expired-trial@example.com": ("daily-briefing",),
    "lapsed@example.com": ("daily-briefing", "markets-weekly"),
}
LEAD_SLUG = "tessaly-grain-farmers-count-cost-of-cancelled-orders"
STORY_SLUGS = (
    "orrin-shipping-reroutes-sailings-around-calder",
    "brightwater-profit-falls-as-shoppers-trade-down",
)
ISSUE_SUBJECT = "Tessaly’s farmers count the cost"
# The editor's note: the issue's own blocks, written for the newsletter (not copied from a story).
EDITORS_NOTE = (
    ("heading", "From the editor"),
    (
        "paragraph",
        "<p>Our farming correspondent spent a week on the Tessaly plain, where the silos are fuller "
        "than they have been in ten years and the buyers have gone quiet. The harvest was never the "
        "problem; the orders were.</p>",
    ),
    (
        "quote",
        {
            "quote": "We did everything right this year, and we are going to lose money on every tonne.",
            "attribution": "A grain farmer near Tessaly, to our correspondent",
        },
    ),
    (
        "paragraph",
        "<p>Below: the full report, then how the shipping lines and the shops are adjusting. "
        "Reply to this e-mail to tell us what you are seeing where you live — we read every answer.</p>"
        "<p>— The editors</p>",
    ),
    ("divider", None),
)


def editors_note() -> list[tuple[str, object]]:
    return [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in EDITORS_NOTE]


@transaction.atomic
def build_demo_newsletters(stdout: TextIO) -> None:
    created: list[str] = []
    newsletters = {}
    for spec in (DAILY, MARKETS):
        newsletter, made = Newsletter.objects.get_or_create(slug=spec["slug"], defaults=spec)
        newsletters[newsletter.slug] = newsletter
        if made:
            created.append(newsletter.name)
    now = timezone.now()
    for email, slugs in READERS.items():
        reader = User.objects.filter(email=email).first()
        if reader is None:
            continue
        for slug in slugs:
            _row, made = NewsletterSubscription.objects.get_or_create(
                reader=reader, newsletter=newsletters[slug], defaults={"created_at": now, "source": "demo"}
            )
            if made:
                created.append(f"{email} → {slug}")
    if _demo_issue(newsletters["daily-briefing"]):
        created.append(f"draft issue “{ISSUE_SUBJECT}”")
    stdout.write(f"Newsletters: {', '.join(created) if created else 'already in place'}.\n")


def _demo_issue(newsletter: Newsletter) -> bool:
    lead = ArticlePage.objects.filter(slug=LEAD_SLUG).first()
    existing = Issue.objects.filter(newsletter=newsletter, subject=ISSUE_SUBJECT).first()
    if existing is not None and not existing.body and existing.status == Issue.Status.DRAFT:
        existing.body = editors_note()
        existing.save(update_fields=["body"])
    if lead is None or existing is not None:
        return False
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject=ISSUE_SUBJECT,
        preheader="Silos full, orders cancelled: a harvest nobody will buy.",
        intro=(
            "Good morning. Today: the farmers of Tessaly, who brought in their best harvest in a decade "
            "and cannot sell it — and what the shipping lines and the shops are doing about the rift."
        ),
        article=lead,
        body=editors_note(),
        status=Issue.Status.DRAFT,
    )
    stories = {page.slug: page for page in ArticlePage.objects.filter(slug__in=STORY_SLUGS)}
    for order, slug in enumerate(STORY_SLUGS):
        if slug in stories:
            IssueStory.objects.create(issue=issue, article=stories[slug], sort_order=order)
    return True
