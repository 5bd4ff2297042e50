"""The web archive of sent issues: only sent issues are listed, and an issue's lead article is cut
exactly as its own page cuts it — the canary of the gated part only for readers entitled to it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from masthead.newsletters.models import Issue, IssueStory, Newsletter
from tests.builders import canary_for, make_article
from tests.newsletters.conftest import KINDS, make_kind_of_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefing(pub):
    return Newsletter.objects.create(name="The Daily Briefing", slug="daily-briefing")


def sent_issue(newsletter, article, *, subject="Morning issue", status="sent", stories=()):
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject=subject,
        intro="Good morning from the desk.",
        article=article,
        status=status,
        finished_at=timezone.now() if status == "sent" else None,
    )
    for order, story in enumerate(stories):
        IssueStory.objects.create(issue=issue, article=story, sort_order=order)
    return issue


def reader_client(kind: str) -> Client:
    client = Client()
    if kind != "anonymous":
        client.force_login(make_kind_of_reader(kind))
    return client


def test_the_archive_lists_sent_issues_only(client, pub, briefing):
    article = make_article(pub)
    sent = sent_issue(briefing, article, subject="What was sent")
    sent_issue(briefing, article, subject="Still a draft", status="draft")
    sent_issue(briefing, article, subject="Going out now", status="sending")
    html = client.get("/newsletters/daily-briefing/").content.decode()
    assert "What was sent" in html and f"/newsletters/daily-briefing/{sent.pk}/" in html
    assert "Still a draft" not in html and "Going out now" not in html


def test_unsent_issues_and_unknown_newsletters_are_not_found(client, pub, briefing):
    draft = sent_issue(briefing, make_article(pub), status="draft")
    assert client.get(f"/newsletters/daily-briefing/{draft.pk}/").status_code == 404
    assert client.get("/newsletters/no-such-letter/").status_code == 404
    assert client.get("/newsletters/daily-briefing/not-a-number/").status_code == 404


ENTITLED = {"subscriber", "trialist"}


@pytest.mark.parametrize("kind", ["anonymous", *KINDS])
def test_a_subscribers_only_lead_is_cut_like_its_article_page(pub, briefing, kind):
    article = make_article(pub, access="subscribers")
    story = make_article(pub, title="A linked story")
    issue = sent_issue(briefing, article, stories=[story])
    client = reader_client(kind)
    response = client.get(f"/newsletters/daily-briefing/{issue.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Good morning from the desk." in html and "A linked story" in html
    assert "Paragraph 1 of story" in html  # the teaser every reader gets
    assert (canary_for(article.slug) in html) is (kind in ENTITLED)
    # The same reader on the article's own page gets the same cut.
    assert (canary_for(article.slug) in client.get(article.url).content.decode()) is (kind in ENTITLED)
    assert canary_for(story.slug) not in html  # linked stories are links, never bodies
    if kind not in ENTITLED:
        assert 'data-paywall-state="' in html
    assert response["Cache-Control"] == "private, no-store"


def test_a_metered_lead_counts_and_walls_like_the_article(pub, briefing, settings):
    from wagtail.models import Site

    from masthead.access.models import MeterSettings

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.anonymous_limit = 1
    meter.save()
    first, second = make_article(pub), make_article(pub)
    issue = sent_issue(briefing, second)
    client = Client()
    assert canary_for(first.slug) in client.get(first.url).content.decode()
    # The one free article is used: the archive copy of another metered story is walled too.
    html = client.get(f"/newsletters/daily-briefing/{issue.pk}/").content.decode()
    assert canary_for(second.slug) not in html
    assert 'data-paywall-state="' in html
