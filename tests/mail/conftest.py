"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, parsed."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest

from tests.builders import make_publication
from tests.smtp import smtp_server_for

SITE_URL = "https://news.meridian-ledger.example"


@dataclass
class Mailbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    """Django's SMTP backend, sending to a server on this machine."""
    mailbox = Mailbox()
    with smtp_server_for(settings, mailbox):
        yield mailbox


@pytest.fixture
def site_url(settings: Any) -> str:
    """The site's one address differs from the host the test client's requests arrive on."""
    settings.MASTHEAD_SITE_URL = settings.WAGTAILADMIN_BASE_URL = SITE_URL  # as base.py sets them
    return SITE_URL


@pytest.fixture
def pub(db: Any) -> Any:
    return make_publication()


def parts(message: EmailMessage) -> tuple[str, str]:
    """The text and HTML bodies of a multipart/alternative message."""
    assert message.get_content_type() == "multipart/alternative", message.get_content_type()
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def links(body: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", body)


# The billing catalogue and reader of tests/billing, shared here.
from tests.billing.conftest import annual, monthly, offer, reader  # noqa: E402, F401
