"""One-click unsubscribe links, the click redirect, the open pixel, and click attribution."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from masthead.newsletters.models import DeliveryEvent, Newsletter, NewsletterSubscription, Recipient
from masthead.newsletters.sending import send_issue
from masthead.newsletters.subscriptions import attributed_subscriptions
from masthead.newsletters.unsubscribe import unsubscribe_url
from tests.builders import make_article
from tests.newsletters.conftest import make_issue, make_kind_of_reader, parts, subscribe_all


def active(reader: Any, newsletter: Newsletter) -> bool:
    return NewsletterSubscription.objects.active().filter(reader=reader, newsletter=newsletter).exists()


@pytest.mark.django_db
def test_get_asks_post_unsubscribes_and_a_link_for_another_reader_or_newsletter_is_refused(
    newsletter: Any,
) -> None:
    ada, bob = (
        make_kind_of_reader("registered", "ada@example.com"),
        make_kind_of_reader("registered", "bob@x.org"),
    )
    other = Newsletter.objects.create(name="Markets Weekly", slug="markets")
    subscribe_all(newsletter, [ada, bob])
    subscribe_all(other, [ada])
    path = urlsplit(unsubscribe_url(ada, newsletter)).path
    client = Client(enforce_csrf_checks=True)
    # A GET (a link scanner, a prefetch) only asks.
    page = client.get(path)
    assert page.status_code == 200 and b"Unsubscribe from The Daily Briefing?" in page.content
    assert active(ada, newsletter)
    # The same signature for another reader, or for another newsletter: refused, nothing changes.
    _, _, reader_id, newsletter_id, signature, _ = path.split("/")[1:]
    for forged in (
        f"/email/unsubscribe/{bob.pk}/{newsletter_id}/{signature}/",
        f"/email/unsubscribe/{reader_id}/{other.pk}/{signature}/",
        f"/email/unsubscribe/{reader_id}/{newsletter_id}/{signature[:-1]}0/",
    ):
        assert client.post(forged).status_code == 400
    assert active(ada, newsletter) and active(bob, newsletter) and active(ada, other)
    # The POST of RFC 8058, with no session and no CSRF token, unsubscribes ada from this one only.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert not active(ada, newsletter) and active(ada, other) and active(bob, newsletter)
    assert client.post(path).status_code == 200  # again: still unsubscribed, no error


def _send_one(newsletter: Any, pub: Any, **flags: Any) -> tuple[Any, Any, str]:
    for name, value in flags.items():
        setattr(newsletter, name, value)
    newsletter.save()
    reader = make_kind_of_reader("subscriber", "sub@example.com")
    subscribe_all(newsletter, [reader])
    article = make_article(pub, access="free")
    issue = make_issue(newsletter, article=article)
    mail.outbox.clear()
    send_issue(issue.pk, worker_id="t")
    _text, body = parts(mail.outbox[0])
    return issue, article, body


@pytest.mark.django_db
def test_links_go_through_the_sites_own_signed_redirect_and_count_clicks(
    pub: Any, newsletter: Any, site_url: str
) -> None:
    issue, article, body = _send_one(newsletter, pub, track_clicks=True)
    tracked = [html_lib.unescape(u) for u in re.findall(r'href="([^"]+)"', body) if "/email/click/" in u]
    assert tracked and all(u.startswith(site_url) for u in tracked)
    to_article = next(u for u in tracked if article.slug in u)
    client = Client()
    response = client.get(to_article.removeprefix(site_url))
    assert response.status_code == 302 and response["Location"] == article.get_full_url()
    click = DeliveryEvent.objects.get(kind="clicked")
    assert (click.issue_id, click.recipient.email, click.url) == (
        issue.pk,
        "sub@example.com",
        article.get_full_url(),
    )
    # Not an open redirect: another destination with the same signature is refused, nothing counted.
    elsewhere = re.sub(r"u=[^&]+", "u=https%3A%2F%2Fevil.example%2F", to_article.removeprefix(site_url))
    assert client.get(elsewhere).status_code == 400
    assert DeliveryEvent.objects.filter(kind="clicked").count() == 1
    # The footer's unsubscribe link is the reader's own, never a redirect.
    assert re.search(r'href="https://[^"]+/email/unsubscribe/\d+/\d+/\w+/"', body)


@pytest.mark.django_db
def test_no_click_redirect_and_no_pixel_when_the_newsletter_turns_them_off(pub: Any, newsletter: Any) -> None:
    _issue, article, body = _send_one(newsletter, pub, track_clicks=False, track_opens=False)
    assert "/email/click/" not in body and "/email/open/" not in body
    assert article.get_full_url() in body


@pytest.mark.django_db
def test_opens_are_counted_only_when_on_and_apples_machine_opens_apart(pub: Any, newsletter: Any) -> None:
    issue, _article, body = _send_one(newsletter, pub, track_opens=True)
    pixel = re.search(r'<img src="https?://[^/"]+(/email/open/[^"]+)"', body)
    assert pixel is not None
    client = Client()
    human = client.get(
        pixel.group(1), HTTP_USER_AGENT="Mozilla/5.0 (Macintosh) AppleWebKit/605", REMOTE_ADDR="203.0.113.7"
    )
    assert human.status_code == 200 and human["Content-Type"] == "image/gif"
    client.get(pixel.group(1), HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR="203.0.113.8")  # Apple's proxy
    client.get(
        pixel.group(1), HTTP_USER_AGENT="Mozilla/5.0 (X11)", REMOTE_ADDR="17.58.1.2"
    )  # Apple's network
    kinds = sorted(DeliveryEvent.objects.filter(issue=issue).values_list("kind", flat=True))
    assert kinds == ["machine_open", "machine_open", "opened"]
    # A forged pixel address counts nothing.
    assert client.get(f"/email/open/{issue.pk}/1.forged.gif").status_code == 200
    assert DeliveryEvent.objects.filter(issue=issue).count() == 3


@pytest.mark.django_db
def test_a_subscription_started_within_7_days_of_a_click_is_attributed_to_the_issue(
    pub: Any, newsletter: Any, monthly: Any
) -> None:
    from masthead.billing.models import Subscription

    issue, _article, _body = _send_one(newsletter, pub)
    recipient = Recipient.objects.get(issue=issue)
    clicked_at = timezone.now() - timedelta(days=20)
    DeliveryEvent.objects.create(recipient=recipient, issue=issue, kind="clicked", at=clicked_at)
    later = make_kind_of_reader("registered", "late@example.com")
    late_recipient = Recipient.objects.create(issue=issue, reader=later, email=later.email, status="sent")
    DeliveryEvent.objects.create(recipient=late_recipient, issue=issue, kind="clicked", at=clicked_at)
    Subscription.objects.create(
        user=recipient.reader,
        plan=monthly,
        provider="manual",
        status="active",
        started_at=clicked_at + timedelta(days=2),
    )
    Subscription.objects.create(
        user=later,
        plan=monthly,
        provider="manual",
        status="active",
        started_at=clicked_at + timedelta(days=9),
    )
    assert attributed_subscriptions(issue) == 1
