"""Provider batch sends: the copies of one variant go to an API provider in one call.

Copies that share a rendered body (same issue, reader kind, language and offer) differ only in
their personal parts (address, sign-up date, unsubscribe link, tracking token) and their
Message-ID and List-Unsubscribe headers. Where the provider fills merge fields into a message's
own subject and body, one anymail message carries the whole group: the body names each personal
part in the provider's merge syntax, `merge_data` gives each recipient's values, `merge_headers`
their own List-Unsubscribe and Message-ID, `merge_metadata` their recipient row (for webhooks).

| provider (anymail `esp_name`) | merge field in the body | recipients per call |
|---|---|---|
| Mailgun | `%recipient.name%` (recipient-variables) | 1,000 |
| SendGrid | `SENDGRID_MERGE_FIELD_FORMAT`, or `-name-` (legacy substitutions) | 1,000 personalizations |

Any other provider gets one call per copy: Postmark and Amazon SES fill merge data only into
their stored templates (anymail refuses `merge_data` without `template_id` for them), Resend and
Postal have no merge fields; a stored template is not used because the copy's body must be the
one `access` cut here. `MASTHEAD_NEWSLETTER_PROVIDER_BATCH` lowers the batch size (tests, or a
provider account with a lower limit).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings


@dataclass(frozen=True)
class BatchProvider:
    esp_name: str
    size: int
    field: Callable[[str], str]  # a merge field as the body names it
    key: Callable[[str], str]  # the same field as a key of merge_data


def _sendgrid(backend: Any) -> BatchProvider:
    wrapped = getattr(backend, "merge_field_format", None)
    if wrapped:  # anymail wraps the keys itself
        return BatchProvider("SendGrid", 1000, field=lambda name: wrapped.format(name), key=lambda name: name)
    return BatchProvider("SendGrid", 1000, field=lambda name: f"-{name}-", key=lambda name: f"-{name}-")


_PROVIDERS: dict[str, Callable[[Any], BatchProvider]] = {
    "Mailgun": lambda backend: BatchProvider(
        "Mailgun", 1000, field=lambda name: f"%recipient.{name}%", key=lambda name: name
    ),
    "SendGrid": _sendgrid,
}


def batch_provider(backend: Any) -> BatchProvider | None:
    """How this mail backend sends a batch, or None: one call per copy."""
    make = _PROVIDERS.get(str(getattr(backend, "esp_name", "")))
    if make is None:
        return None
    provider = make(backend)
    limit = int(getattr(settings, "MASTHEAD_NEWSLETTER_PROVIDER_BATCH", 0) or 0)
    if limit > 0 and limit < provider.size:
        provider = BatchProvider(provider.esp_name, limit, field=provider.field, key=provider.key)
    return provider


@dataclass(frozen=True)
class BatchRecipient:
    """One reader's personal parts in a batch."""

    to: str
    since_text: str
    unsubscribe_url: str
    token: str
    message_id: str
    recipient_id: int

    def merge_data(self, provider: BatchProvider) -> dict[str, str]:
        values = {
            "nl_email": self.to,
            "nl_email_html": html.escape(self.to),
            "nl_since": self.since_text,
            "nl_since_html": html.escape(self.since_text),
            "nl_unsub": self.unsubscribe_url,
            "nl_unsub_html": html.escape(self.unsubscribe_url),
            "nl_token": self.token,
        }
        return {provider.key(name): value for name, value in values.items()}

    def headers(self) -> dict[str, str]:
        return {"List-Unsubscribe": f"<{self.unsubscribe_url}>", "Message-ID": self.message_id}
