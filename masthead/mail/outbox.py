"""The demo's outbox: outgoing e-mail kept in the database instead of sent.

`EMAIL_BACKEND = "masthead.mail.outbox.OutboxBackend"` (what `make demo` uses) keeps every
message — subject, text, HTML and headers — as an `OutboxMessage`, which staff read in the admin
(Outbox). It exists for demo mode only: it refuses to start without `MASTHEAD_DEMO`, and
production settings refuse demo mode, so a real site can never swallow its mail here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from masthead.core.site_url import absolute_url
from masthead.mail.models import OutboxMessage

# Headers a reader of the outbox learns nothing from (the parts' encodings).
_PLUMBING = frozenset({"content-type", "content-transfer-encoding", "mime-version"})


class OutboxBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        if not getattr(settings, "MASTHEAD_DEMO", False):
            raise ImproperlyConfigured(
                "masthead.mail.outbox.OutboxBackend keeps mail instead of sending it: demo mode only "
                "(MASTHEAD_DEMO). Set EMAIL_BACKEND to a real backend."
            )
        super().__init__(fail_silently=fail_silently, **kwargs)
        # `make demo` prints a line per kept message, so a newcomer knows where to read it.
        self.announce = bool(getattr(settings, "MASTHEAD_OUTBOX_ANNOUNCE", False))

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        kept = [OutboxMessage.objects.create(**outbox_fields(message)) for message in email_messages]
        if self.announce:
            for row in kept:
                where = absolute_url(reverse("mail_outbox:message", args=[row.pk]))
                sys.stdout.write(f"Outbox: “{row.subject}” to {', '.join(row.recipients)} — {where}\n")
            sys.stdout.flush()
        return len(kept)


def outbox_fields(message: EmailMessage) -> dict[str, Any]:
    text, html = message.body or "", ""
    if getattr(message, "content_subtype", "plain") == "html":
        text, html = "", message.body or ""
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html" and not html:
            html = str(content)
    mime = message.message()
    headers = {name: str(value) for name, value in mime.items() if name.lower() not in _PLUMBING}
    return {
        "from_email": str(message.from_email or ""),
        "to": "\n".join(message.recipients()),
        "subject": str(message.subject or ""),
        "text": text,
        "html": html,
        "headers": headers,
        "sent_at": timezone.now(),
    }
