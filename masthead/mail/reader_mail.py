"""The one place that sends a reader an e-mail.

Every e-mail — allauth's (confirmation, login code, password reset, security notices) and
billing's (welcome, receipts, reminders) — is three templates, `<name>_subject.txt`, `<name>.txt`
and `<name>.html`, rendered in the reader's language and the publication's time zone inside one
branded layout (`email/base.html`, `email/base.txt`), and sent as text with an HTML alternative
from "<Publication> <DEFAULT_FROM_EMAIL>". Links are absolute and start at the site's one address
(`masthead.core.site_url`), never at the host a request arrived on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from masthead.access.paywall_config import paywall_config
from masthead.core.language_urls import language_version
from masthead.core.site_url import absolute_url, site_root_url
from masthead.mail.models import SentEmail

_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def supported_language(code: str | None) -> str | None:
    """The site language for a code ("ja", "en-GB" → "en"), or None when the site has none for it."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return None


def reader_language(*, user: Any = None, request: HttpRequest | None = None) -> str:
    """The language to write to a reader in: the one on their account; for an address with no
    account, the language of the request that caused the e-mail; otherwise the site's default."""
    chosen = supported_language(getattr(user, "language", None))
    if chosen:
        return chosen
    if request is not None:
        return supported_language(translation.get_language()) or settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def sender(publication: str) -> str:
    """ "The Meridian Ledger <newsroom@…>": the publication by name, at DEFAULT_FROM_EMAIL's address."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((publication, address or settings.DEFAULT_FROM_EMAIL))


def base_context(*, publication: str, to: str) -> dict[str, Any]:
    return {
        "publication": publication,
        "site_url": site_root_url(),
        "site_host": urlsplit(site_root_url()).netloc,
        "home_url": absolute_url("/"),
        "account_url": absolute_url(reverse("accounts:dashboard")),
        "subscribe_url": absolute_url(reverse("billing:subscribe")),
        "recipient": to,
    }


def _tidy_text(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip() + "\n"


def render_reader_mail(
    *, template: str, to: str, language: str, context: Mapping[str, Any] | None = None
) -> RenderedMail:
    config = paywall_config(request=None)
    full = {**base_context(publication=config.publication, to=to), **(context or {})}
    with translation.override(language), timezone.override(ZoneInfo(config.time_zone)):
        full["language"] = translation.get_language()
        if not (context and "home_url" in context):
            # The front page in the reader's language: "/ja/" for a Japanese reader.
            full["home_url"] = absolute_url(language_version("/", full["language"]))
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        full["subject"] = subject
        text = _tidy_text(render_to_string(f"{template}.txt", full))
        html = render_to_string(f"{template}.html", full).strip() + "\n"
    return RenderedMail(subject=subject, text=text, html=html)


def build_reader_mail(
    *, template: str, to: str, language: str, context: Mapping[str, Any] | None = None
) -> EmailMultiAlternatives:
    rendered = render_reader_mail(template=template, to=to, language=language, context=context)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=sender(paywall_config(request=None).publication),
        to=[to],
        headers={
            # RFC 3834: sent by the site, not by a person; auto-responders should not answer.
            "Auto-Submitted": "auto-generated",
            # Named after the site, not after whichever machine sent it.
            "Message-ID": make_msgid(domain=urlsplit(site_root_url()).hostname or None),
        },
    )
    message.attach_alternative(rendered.html, "text/html")
    return message


def send_reader_mail(
    *, template: str, to: str, language: str, context: Mapping[str, Any] | None = None
) -> None:
    build_reader_mail(template=template, to=to, language=language, context=context).send()


def send_once(
    *,
    kind: str,
    occasion: str,
    send: Callable[[], None] | None,
    object_id: int | None = None,
    about: datetime | None = None,
    now: datetime | None = None,
) -> bool:
    """Send an e-mail once for its occasion. `send=None` records the occasion without sending (the
    reader opted out), so it is not weighed again on every sweep. False when it was done before."""
    try:
        with transaction.atomic():
            SentEmail.objects.create(
                kind=kind,
                occasion=occasion,
                object_id=object_id,
                about=about,
                sent_at=now or timezone.now(),
                delivered=send is not None,
            )
            if send is not None:
                send()
    except IntegrityError:
        return False
    return True


def already_sent(*, kind: str, occasion: str) -> bool:
    return SentEmail.objects.filter(kind=kind, occasion=occasion).exists()
