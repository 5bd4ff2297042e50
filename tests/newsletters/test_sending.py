"""Sending through a real SMTP server on 127.0.0.1: every reader once, one-click unsubscribe,
suppression, the commands' output."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from masthead.newsletters.models import Issue, NewsletterSubscription, Recipient, Suppression
from masthead.newsletters.sending import send_issue
from tests.builders import canary_for, make_article
from tests.newsletters.conftest import make_issue, make_kind_of_reader, parts, subscribe_all


def bulk_readers(n: int, prefix: str = "reader") -> list[Any]:
    User = get_user_model()
    User.objects.bulk_create([User(email=f"{prefix}{i}@example.com", password="!") for i in range(n)])
    return list(User.objects.filter(email__startswith=prefix).order_by("pk"))


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_an_issue_to_a_thousand_readers_arrives_once_each_with_one_click_unsubscribe(
    pub: Any, newsletter: Any, smtp_sink: Any, site_url: str
) -> None:
    # given: 1,000 readers subscribed to the newsletter
    readers = bulk_readers(1000)
    subscribe_all(newsletter, readers)
    issue = make_issue(newsletter, article=make_article(pub, access="free"))
    # when: the issue is sent
    output = run_command("send_newsletter_issue", str(issue.pk), "--foreground")
    # then: 1,000 messages, one per reader, each with valid one-click unsubscribe headers
    assert output.strip().splitlines()[-1] == "sent 1000, skipped 0, failed 0"
    assert len(smtp_sink.received) == 1000
    to = Counter(message["To"] for message in smtp_sink.received)
    assert set(to) == {r.email for r in readers} and set(to.values()) == {1}
    assert len({message["Message-ID"] for message in smtp_sink.received}) == 1000
    for message in smtp_sink.received:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        url = re.fullmatch(r"<(https://[^>]+)>", message["List-Unsubscribe"].strip())
        assert url is not None, message["List-Unsubscribe"]
        assert url.group(1).startswith(site_url + "/email/unsubscribe/")
        text, html = parts(message)
        assert url.group(1) in text  # the footer's link is the header's
        assert message["To"] in text and "NLPERSONAL" not in text + html + str(message)
        assert "placeholder.invalid" not in str(message)
    # and: POSTing the one-click URL, with no session and no CSRF token, unsubscribes that reader
    first = smtp_sink.received[0]
    url = re.fullmatch(r"<(https://[^>]+)>", first["List-Unsubscribe"].strip()).group(1)  # type: ignore[union-attr]
    client = Client(enforce_csrf_checks=True)
    response = client.post(urlsplit(url).path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    reader = get_user_model().objects.get(email=first["To"])
    subscription = NewsletterSubscription.objects.get(reader=reader, newsletter=newsletter)
    assert subscription.unsubscribed_at is not None
    assert NewsletterSubscription.objects.active().filter(newsletter=newsletter).count() == 999
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.recipients_total) == ("sent", 1000, 1000)
    # every copy has the server's answer to its final "." recorded: none in doubt
    replies = Counter(Recipient.objects.filter(issue=issue).values_list("relay_reply", "in_doubt"))
    assert replies == {("Message accepted for delivery", False): 1000} and issue.in_doubt_count == 0


@pytest.mark.django_db
def test_a_second_run_sends_nothing_and_suppressed_or_unsubscribed_readers_are_skipped(
    pub: Any, newsletter: Any, smtp_sink: Any
) -> None:
    readers = bulk_readers(6)
    subscribe_all(newsletter, readers)
    Suppression.objects.create(email=readers[0].email.upper(), reason="bounce")
    issue = make_issue(newsletter)
    output = run_command("send_newsletter_issue", "latest", "--foreground")
    assert output.strip().splitlines()[-1] == "sent 5, skipped 1, failed 0"
    assert readers[0].email not in {m["To"] for m in smtp_sink.received}
    again = run_command("send_newsletter_issue", str(issue.pk), "--foreground")
    assert again.strip().splitlines()[-1] == "sent 0, skipped 6, failed 0"
    assert len(smtp_sink.received) == 5
    # A reader who unsubscribes after the recipients were listed is skipped when their turn comes.
    second = make_issue(newsletter, subject="Evening edition")
    from masthead.newsletters.sending import create_recipients

    create_recipients(second)
    NewsletterSubscription.objects.filter(reader=readers[1]).update(unsubscribed_at="2026-01-01T00:00:00Z")
    result = send_issue(second.pk, worker_id="test")
    assert (result.sent, result.skipped) == (4, 2)
    assert Recipient.objects.get(issue=second, reader=readers[1]).skip_reason == "unsubscribed"


@pytest.mark.django_db
def test_a_subscribers_newsletter_goes_to_entitled_readers_only(
    pub: Any, newsletter: Any, smtp_sink: Any
) -> None:
    newsletter.audience = "subscribers"
    newsletter.save()
    subscriber = make_kind_of_reader("subscriber", "sub@example.com")
    lapsed = make_kind_of_reader("lapsed-subscriber", "lapsed@example.com")
    subscribe_all(newsletter, [subscriber, lapsed])
    issue = make_issue(newsletter)
    assert str(send_issue(issue.pk, worker_id="t")) == "sent 1, skipped 0, failed 0"
    assert [m["To"] for m in smtp_sink.received] == ["sub@example.com"]


@pytest.mark.django_db
def test_preview_prints_the_mime_message_that_reader_would_get(pub: Any, newsletter: Any) -> None:
    lapsed = make_kind_of_reader("lapsed-subscriber", "lapsed@example.com")
    subscribe_all(newsletter, [lapsed])
    article = make_article(pub, access="subscribers")
    make_issue(newsletter, article=article, subject="Markets at the close")
    output = run_command("preview_newsletter_issue", "latest", "--as", "LAPSED@example.com")
    assert "Subject: Markets at the close" in output
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in output
    assert "To: lapsed@example.com" in output
    assert "multipart/alternative" in output
    assert canary_for(article.slug) not in output
    assert not Recipient.objects.exists() and Issue.objects.get().status == "draft"


@pytest.mark.django_db
def test_the_footer_has_the_reason_the_postal_address_and_the_plain_text_part(
    pub: Any, newsletter: Any, smtp_sink: Any
) -> None:
    from wagtail.models import Site

    from masthead.core.models import PublicationSettings

    settings_row = PublicationSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.postal_address = "12 Harbour Lane\nPort Valdora 1001"
    settings_row.save()
    reader = make_kind_of_reader("registered", "ada@example.com")
    subscribe_all(newsletter, [reader])
    send_issue(make_issue(newsletter).pk, worker_id="t")
    text, html = parts(smtp_sink.received[0])
    assert "You get this because you signed up for The Daily Briefing on" in text
    assert "ada@example.com" in text and "12 Harbour Lane" in text and "Port Valdora 1001" in html
    assert "Unsubscribe from The Daily Briefing" in html
    assert "NLPERSONAL" not in text + html  # every personal part filled in


@pytest.mark.django_db
def test_a_scheduled_issue_is_sent_when_due_by_the_newsroom_clock_and_not_before(
    newsletter: Any, smtp_sink: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from masthead.newsletters.apps import _newsletters_due

    subscribe_all(newsletter, bulk_readers(3))
    issue = make_issue(newsletter)
    Issue.objects.filter(pk=issue.pk).update(status="scheduled", send_at=timezone.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        _newsletters_due()
    assert smtp_sink.received == [] and Issue.objects.get(pk=issue.pk).status == "scheduled"
    Issue.objects.filter(pk=issue.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        _newsletters_due()  # the task worker runs tasks at once in tests
    assert len(smtp_sink.received) == 3 and Issue.objects.get(pk=issue.pk).status == "sent"
