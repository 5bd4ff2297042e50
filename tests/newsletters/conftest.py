"""Fixtures for the newsletter tests: a publication, readers of every kind, a newsletter, and a
real SMTP server on 127.0.0.1 that keeps what it receives."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from masthead.access.models import Entitlement, EntitlementKind
from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription
from tests.builders import Publication, make_publication, make_reader
from tests.smtp import smtp_server_for

SITE_URL = "https://news.meridian-ledger.example"

# reader kind (as access.policy names it) -> the entitlements that make an account that kind
KINDS: dict[str, list[tuple[str, int, int | None]]] = {
    "registered": [],
    "subscriber": [(EntitlementKind.SUBSCRIPTION, -30, None)],
    "trialist": [(EntitlementKind.TRIAL, -3, 11)],
    "lapsed-subscriber": [(EntitlementKind.SUBSCRIPTION, -60, -1)],
    "expired-trial": [(EntitlementKind.TRIAL, -20, -6)],
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def site_url(settings: Any) -> str:
    settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = SITE_URL
    return SITE_URL


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication()


def make_kind_of_reader(kind: str, email_address: str | None = None) -> Any:
    reader = make_reader(
        email_address or f"{kind}-{timezone.now().timestamp()}@example.com", "pw-Long-enough-1"
    )
    now = timezone.now()
    for ent_kind, start_days, end_days in KINDS[kind]:
        Entitlement.objects.create(
            user=reader,
            kind=ent_kind,
            starts_at=now + timedelta(days=start_days),
            ends_at=None if end_days is None else now + timedelta(days=end_days),
        )
    return reader


@pytest.fixture
def readers(db: Any) -> dict[str, Any]:
    return {kind: make_kind_of_reader(kind, f"{kind}@example.com") for kind in KINDS}


@pytest.fixture
def newsletter(db: Any) -> Newsletter:
    return Newsletter.objects.create(
        name="The Daily Briefing", slug="daily-briefing", description="Every morning."
    )


def subscribe_all(newsletter: Newsletter, readers: Any) -> None:
    now = timezone.now()
    NewsletterSubscription.objects.bulk_create(
        [
            NewsletterSubscription(reader=r, newsletter=newsletter, created_at=now, source="admin")
            for r in readers
        ]
    )


def make_issue(newsletter: Newsletter, *, article: Any = None, subject: str = "Today's briefing") -> Issue:
    return Issue.objects.create(
        newsletter=newsletter, subject=subject, intro="Good morning.\n\nHere is the news.", article=article
    )


@dataclass
class Sink:
    """An SMTP server on 127.0.0.1 that keeps every message it accepts."""

    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings: Any) -> Iterator[Sink]:
    sink = Sink()
    with smtp_server_for(settings, sink):
        yield sink


def parts(message: Any) -> tuple[str, str]:
    """Text and HTML of a message (an EmailMessage parsed at the sink, or Django's own)."""
    if hasattr(message, "alternatives"):
        return message.body, message.alternatives[0][0]
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


# The billing catalogue of tests/billing (a plan, a new-subscribers offer), shared here.
from tests.billing.conftest import monthly, offer  # noqa: E402, F401
