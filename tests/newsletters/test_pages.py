"""The readers' newsletter pages: /newsletters/ (choose, or sign up with double opt-in), the
confirmation link, the choices on /account/ and the data export."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from masthead.access.entitlements import grant_entitlement
from masthead.accounts.models import User
from masthead.newsletters.models import Newsletter, NewsletterSubscription
from tests.builders import make_publication, make_reader

pytestmark = pytest.mark.django_db
PASSWORD = "a long reader passphrase 42"


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newsletters(db):
    make_publication()
    daily = Newsletter.objects.create(
        name="The Daily Briefing",
        slug="daily-briefing",
        description="The morning's stories in five minutes.",
        schedule="Weekdays at 7:00",
        audience="registered",
        sort_order=1,
    )
    markets = Newsletter.objects.create(
        name="Markets Weekly",
        slug="markets-weekly",
        description="Our markets desk on the week.",
        schedule="Fridays at 16:00",
        audience="subscribers",
        sort_order=2,
    )
    Newsletter.objects.create(name="Retired Letter", slug="retired", is_active=False)
    return {"daily": daily, "markets": markets}


def subscriber(email: str, *, trial: bool = False, ended_days_ago: int | None = None) -> User:
    user = make_reader(email, PASSWORD)
    now = timezone.now()
    grant_entitlement(
        user=user,
        kind="trial" if trial else "subscription",
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=ended_days_ago) if ended_days_ago else now + timedelta(days=30),
        source_ref=f"test-{email}",
    )
    return user


def status_messages(html: str) -> list[str]:
    block = re.search(r'<div class="flash" role="status">(.*?)</div>', html, re.S)
    return (
        [re.sub(r"\s+", " ", m).strip() for m in re.findall(r"<p[^>]*>(.*?)</p>", block.group(1), re.S)]
        if block
        else []
    )


def confirmation_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/newsletters/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def active_slugs(user) -> set[str]:
    return set(
        NewsletterSubscription.objects.active().filter(reader=user).values_list("newsletter__slug", flat=True)
    )


def test_the_page_lists_each_active_newsletter_honestly(client, newsletters):
    html = client.get("/newsletters/").content.decode()
    assert "The Daily Briefing" in html and "The morning&#x27;s stories in five minutes." in html
    assert "Weekdays at 7:00" in html and "Fridays at 16:00" in html
    assert 'data-newsletter-audience="subscribers">For subscribers<' in html
    assert 'data-newsletter-audience="registered">Free for registered readers<' in html
    assert "Retired Letter" not in html
    # An anonymous visitor can tick the free one only; the subscribers' one shows the offer.
    assert 'name="newsletters" value="daily-briefing"' in html
    assert 'value="markets-weekly"' not in html
    assert "See offers and subscribe" in html


def test_an_anonymous_sign_up_only_sends_a_confirmation(client, newsletters):
    response = client.post(
        "/newsletters/", {"email": "New.Reader@Example.com", "newsletters": ["daily-briefing"]}
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert status_messages(page) == [
        "Almost done: we have e-mailed a link to new.reader@example.com. Follow it to confirm your "
        "newsletters; nothing is sent until you do."
    ]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.reader@example.com"]
    assert message.subject.startswith("Confirm your newsletters from ")
    assert "The Daily Briefing" in message.body
    html = message.alternatives[0][0]
    assert "Confirm my newsletters" in html and "The Daily Briefing" in html
    # Nothing is subscribed and no account exists before the click.
    assert not User.objects.filter(email="new.reader@example.com").exists()
    assert NewsletterSubscription.objects.count() == 0


def test_known_and_unknown_addresses_get_the_same_answer(client, newsletters):
    make_reader("known@example.com", PASSWORD)
    answers = []
    for email in ("known@example.com", "unknown@example.com"):
        response = client.post(
            "/newsletters/", {"email": email, "newsletters": ["daily-briefing"]}, follow=True
        )
        answers.append(
            (
                response.status_code,
                [m.replace(email, "EMAIL") for m in status_messages(response.content.decode())],
            )
        )
    assert answers[0] == answers[1]
    assert [m.to for m in mail.outbox] == [["known@example.com"], ["unknown@example.com"]]
    assert mail.outbox[0].subject == mail.outbox[1].subject
    assert not User.objects.filter(email="unknown@example.com").exists()


def test_following_the_link_asks_then_creates_a_registered_reader_signed_in_here(client, newsletters):
    client.post("/newsletters/", {"email": "fresh@example.com", "newsletters": ["daily-briefing"]})
    path = confirmation_path(mail.outbox[0])
    # Opening the link (as a mail scanner would) subscribes nobody.
    page = client.get(path)
    assert page.status_code == 200 and b"Confirm" in page.content
    assert not User.objects.filter(email="fresh@example.com").exists()

    response = client.post(path, follow=True)
    reader = User.objects.get(email="fresh@example.com")
    assert not reader.has_usable_password()
    assert EmailAddress.objects.get(user=reader).verified
    assert active_slugs(reader) == {"daily-briefing"}
    assert NewsletterSubscription.objects.get(reader=reader).source == "public_page"
    # The browser that signed up is signed in and lands on its account, the choice ticked.
    assert response.redirect_chain[-1][0] == "/account/"
    html = response.content.decode()
    assert status_messages(html) == ["Confirmed: fresh@example.com receives The Daily Briefing."]
    assert re.search(r'value="daily-briefing" checked', html)

    # Following it again changes nothing.
    client.post(path)
    assert User.objects.filter(email="fresh@example.com").count() == 1
    assert NewsletterSubscription.objects.filter(reader=reader).count() == 1


def test_the_link_opened_in_another_browser_subscribes_without_signing_in(client, newsletters):
    client.post("/newsletters/", {"email": "elsewhere@example.com", "newsletters": ["daily-briefing"]})
    other = Client()
    response = other.post(confirmation_path(mail.outbox[0]), follow=True)
    assert response.redirect_chain[-1][0] == "/newsletters/"
    assert "_auth_user_id" not in other.session
    assert active_slugs(User.objects.get(email="elsewhere@example.com")) == {"daily-briefing"}


def test_an_existing_account_is_found_not_duplicated_and_not_signed_in(client, newsletters):
    known = make_reader("known@example.com", PASSWORD, confirmed=False)
    client.post("/newsletters/", {"email": "KNOWN@example.com", "newsletters": ["daily-briefing"]})
    client.post(confirmation_path(mail.outbox[0]))
    assert User.objects.filter(email__iexact="known@example.com").count() == 1
    assert active_slugs(known) == {"daily-briefing"}
    assert EmailAddress.objects.get(user=known).verified  # the click proved the address
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("mangle", ["tamper", "expire"])
def test_a_bad_or_old_link_changes_nothing(client, newsletters, mangle):
    client.post("/newsletters/", {"email": "late@example.com", "newsletters": ["daily-briefing"]})
    path = confirmation_path(mail.outbox[0])
    if mangle == "tamper":
        path = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
        response = client.post(path)
    else:
        with time_machine.travel(timezone.now() + timedelta(days=4)):
            response = client.post(path)
    assert response.status_code == 400
    assert b"This link does not work" in response.content
    assert not User.objects.filter(email="late@example.com").exists()


def test_a_forged_link_or_post_cannot_join_a_subscribers_newsletter(client, newsletters):
    response = client.post("/newsletters/", {"email": "x@example.com", "newsletters": ["markets-weekly"]})
    assert response.status_code == 400 and not mail.outbox
    # A registered reader's post naming it changes nothing; the offer stays on the page.
    reader = make_reader("reader@example.com", PASSWORD)
    client.force_login(reader)
    client.post("/newsletters/", {"newsletter": ["daily-briefing", "markets-weekly"]})
    assert active_slugs(reader) == {"daily-briefing"}
    html = client.get("/newsletters/").content.decode()
    assert 'value="markets-weekly"' not in html and "data-newsletter-offer" in html


@pytest.mark.parametrize(
    ("kind", "may_join"),
    [
        ("subscriber", True),
        ("trialist", True),
        ("lapsed", False),
        ("expired-trial", False),
        ("registered", False),
    ],
)
def test_who_may_join_the_subscribers_newsletter(client, newsletters, kind, may_join):
    if kind == "registered":
        user = make_reader("r@example.com", PASSWORD)
    else:
        user = subscriber(
            "r@example.com",
            trial=kind in ("trialist", "expired-trial"),
            ended_days_ago=3 if kind in ("lapsed", "expired-trial") else None,
        )
    client.force_login(user)
    html = client.get("/newsletters/").content.decode()
    assert ('value="markets-weekly"' in html) is may_join
    client.post("/newsletters/", {"newsletter": ["markets-weekly"]})
    assert ("markets-weekly" in active_slugs(user)) is may_join


def test_a_lapsed_reader_can_still_leave_the_subscribers_newsletter(client, newsletters):
    user = subscriber("gone@example.com", ended_days_ago=2)
    NewsletterSubscription.objects.create(
        reader=user, newsletter=newsletters["markets"], created_at=timezone.now()
    )
    client.force_login(user)
    html = client.get("/newsletters/").content.decode()
    assert 'value="markets-weekly" checked' in html
    client.post("/newsletters/", {"newsletter": []})
    assert active_slugs(user) == set()


def test_sign_ups_are_throttled_per_address_and_per_network(client, newsletters, settings):
    settings.ACCOUNT_RATE_LIMITS = {"newsletter_signup_ip": "3/m/ip", "newsletter_signup_address": "1/3m/key"}
    first = client.post(
        "/newsletters/", {"email": "a@example.com", "newsletters": ["daily-briefing"]}, follow=True
    )
    again = client.post(
        "/newsletters/", {"email": "a@example.com", "newsletters": ["daily-briefing"]}, follow=True
    )
    # The same address again: the same answer, no second e-mail.
    assert status_messages(first.content.decode()) == status_messages(again.content.decode())
    assert len(mail.outbox) == 1
    client.post("/newsletters/", {"email": "b@example.com", "newsletters": ["daily-briefing"]})
    refused = client.post("/newsletters/", {"email": "c@example.com", "newsletters": ["daily-briefing"]})
    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.content.decode()
    assert [m.to[0] for m in mail.outbox] == ["a@example.com", "b@example.com"]


@pytest.mark.parametrize("email", ["nul\x00@example.com", "not-an-address", "a" * 250 + "@example.com"])
def test_bad_addresses_are_refused_clearly(client, newsletters, email):
    response = client.post("/newsletters/", {"email": email, "newsletters": ["daily-briefing"]})
    assert response.status_code == 400
    assert not mail.outbox and not User.objects.filter(email__startswith="nul").exists()


def test_the_account_page_shows_and_saves_the_same_choices(client, newsletters):
    user = subscriber("sub@example.com")
    client.force_login(user)
    html = client.get("/account/").content.decode()
    assert "data-newsletter-choices" in html
    assert 'value="daily-briefing"' in html and 'value="markets-weekly"' in html
    response = client.post(
        "/newsletters/choices/",
        {"newsletter": ["daily-briefing", "markets-weekly"], "next": "/account/#newsletters"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/account/#newsletters"
    assert status_messages(response.content.decode()) == ["Your newsletter choices are saved."]
    assert active_slugs(user) == {"daily-briefing", "markets-weekly"}
    assert NewsletterSubscription.objects.filter(reader=user, source="account").count() == 2
    client.post("/newsletters/choices/", {"newsletter": ["markets-weekly"], "next": "https://evil.example/"})
    assert active_slugs(user) == {"markets-weekly"}


def test_the_old_preferences_form_keeps_other_choices(client, newsletters):
    user = make_reader("prefs@example.com", PASSWORD)
    user.newsletter_opt_in = True
    user.save()
    client.force_login(user)
    client.post("/account/preferences/", {"language": "en"})
    user.refresh_from_db()
    assert user.newsletter_opt_in is True and user.billing_emails is False


def test_the_export_includes_newsletter_choices(client, newsletters):
    user = make_reader("export@example.com", PASSWORD)
    NewsletterSubscription.objects.create(
        reader=user, newsletter=newsletters["daily"], created_at=timezone.now(), source="public_page"
    )
    NewsletterSubscription.objects.create(
        reader=user,
        newsletter=newsletters["markets"],
        created_at=timezone.now(),
        unsubscribed_at=timezone.now(),
    )
    client.force_login(user)
    data = json.loads(client.get("/account/export/").content)
    chosen = {row["slug"]: row for row in data["newsletters"]}
    assert chosen["daily-briefing"]["unsubscribed_at"] is None
    assert chosen["daily-briefing"]["source"] == "public_page"
    assert chosen["markets-weekly"]["unsubscribed_at"] is not None


def test_the_page_and_the_confirmation_speak_the_readers_language(newsletters):
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    page = client.get("/newsletters/").content.decode()
    assert "ニュースレター" in page and "登録読者は無料" in page
    response = client.post(
        "/newsletters/", {"email": "yomu@example.com", "newsletters": ["daily-briefing"]}, follow=True
    )
    assert status_messages(response.content.decode())[0].startswith("あと少しです")
    message = mail.outbox[0]
    assert "ニュースレターの確認" in message.subject
    assert "ニュースレターを確認する" in message.alternatives[0][0]
    # The link keeps the language: the account it makes writes to the reader in Japanese.
    Client().post(confirmation_path(message))
    assert User.objects.get(email="yomu@example.com").language == "ja"
