"""Provider tracking webhooks (django-anymail) → DeliveryEvent and the suppression list.

Every provider anymail knows (SES, Postmark, Mailgun, SendGrid, Brevo, Resend, Postal, …) posts to
`/email/webhooks/<provider>/tracking/`; anymail checks the shared secret (HTTP basic auth,
`ANYMAIL_WEBHOOK_SECRET`) and, where the provider signs its webhooks and its key is configured
(Mailgun's webhook signing key, Postal's and SendGrid's public keys, Resend's secret…), the
signature, then sends one normalised `tracking` signal per event, handled here:

- bounced (a hard bounce) and complained → the address goes on the suppression list, which every
  send respects; delivered → counted; opened → counted as an open or a machine open (see
  `tracking.is_machine_open`); clicked (when the provider tracks clicks) → counted.
- Replays change nothing: an event's provider id (or, for providers that send none, a digest of
  the event as posted) is unique among DeliveryEvents, so the second delivery of the same event
  finds it recorded and stops.

Before anymail sees a request, `guarded` refuses what no provider sends: a body over 1 MB (413,
from the Content-Length, without reading it), a NUL byte anywhere (400), and any webhook at all
while no shared secret is configured (403: anymail would otherwise accept forged events).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

from anymail.signals import EventType, tracking
from django.conf import settings
from django.db import IntegrityError, transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from django.utils import timezone

from masthead.newsletters.models import DeliveryEvent, Recipient, Suppression
from masthead.newsletters.tracking import is_machine_open

logger = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 1024 * 1024

_KINDS = {
    EventType.DELIVERED: DeliveryEvent.Kind.DELIVERED,
    EventType.BOUNCED: DeliveryEvent.Kind.BOUNCED,
    EventType.COMPLAINED: DeliveryEvent.Kind.COMPLAINED,
    EventType.OPENED: DeliveryEvent.Kind.OPENED,
    EventType.CLICKED: DeliveryEvent.Kind.CLICKED,
    EventType.UNSUBSCRIBED: DeliveryEvent.Kind.UNSUBSCRIBED,
}
_SUPPRESS = {
    DeliveryEvent.Kind.BOUNCED: Suppression.Reason.BOUNCE,
    DeliveryEvent.Kind.COMPLAINED: Suppression.Reason.COMPLAINT,
}


def event_key(event: Any) -> str:
    """The event's id at its provider, or a digest of the event as posted when it has none."""
    if event.event_id:
        return str(event.event_id)[:200]
    raw = json.dumps(event.esp_event, sort_keys=True, default=str)
    return "sha256:" + hashlib.sha256(raw.encode()).hexdigest()


@receiver(tracking, dispatch_uid="masthead-newsletters-tracking")
def record_tracking_event(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    kind = _KINDS.get(event.event_type)
    if kind is None:
        return
    address = (event.recipient or "").strip().lower()
    if "\x00" in address or len(address) > 320:
        raise ValueError("refused an address the webhook cannot have meant")
    if kind is DeliveryEvent.Kind.OPENED and is_machine_open(user_agent=event.user_agent, address=None):
        kind = DeliveryEvent.Kind.MACHINE_OPEN
    recipient = _recipient_for(event.message_id, address)
    key = f"{esp_name}:{event_key(event)}"[:255]
    try:
        with transaction.atomic():
            DeliveryEvent.objects.create(
                recipient=recipient,
                issue_id=recipient.issue_id if recipient else None,
                kind=kind,
                url=(event.click_url or "")[:2000],
                at=event.timestamp or timezone.now(),
                provider_event_id=key,
            )
            reason = _SUPPRESS.get(kind)
            if reason is not None and address and _is_permanent(event):
                Suppression.objects.get_or_create(
                    email=address,
                    defaults={"reason": reason, "detail": f"{esp_name}: {event.description or ''}"[:500]},
                )
    except IntegrityError:
        return  # a replay of an event already recorded: nothing changes


def _is_permanent(event: Any) -> bool:
    # A soft bounce is retried by the provider; only hard bounces and complaints suppress.
    if event.event_type == EventType.COMPLAINED:
        return True
    return event.reject_reason in (None, "bounced", "invalid", "blocked", "spam")


def _recipient_for(message_id: str | None, address: str) -> Recipient | None:
    if message_id:
        # A provider batch (Mailgun) gives one id to a whole call: the address says whose copy.
        bracketed = message_id if message_id.startswith("<") else f"<{message_id}>"
        for candidate in (message_id, bracketed):
            rows = Recipient.objects.filter(provider_message_id=candidate).order_by("-pk")
            found = (rows.filter(email__iexact=address).first() if address else None) or rows.first()
            if found is not None:
                return found
    if address:
        return Recipient.objects.filter(email__iexact=address).order_by("-pk").first()
    return None


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def guard(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if length > MAX_WEBHOOK_BYTES:
            return HttpResponse("Too large.", status=413, content_type="text/plain")
        if not getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"):
            return HttpResponse(
                "Webhooks are off: no ANYMAIL_WEBHOOK_SECRET.", status=403, content_type="text/plain"
            )
        body = request.body
        if b"\x00" in body or b"\\u0000" in body:
            return HttpResponse("NUL byte in the event.", status=400, content_type="text/plain")
        try:
            return view(request, *args, **kwargs)
        except ValueError as exc:  # a handler refused the event (see record_tracking_event)
            logger.warning("webhook refused: %s", exc)
            return HttpResponse("Refused.", status=400, content_type="text/plain")

    guard.csrf_exempt = True  # type: ignore[attr-defined]
    return guard


def webhook_patterns() -> list[URLPattern | URLResolver]:
    """anymail's tracking URLs, each behind `guarded` (inbound mail is not used)."""
    from anymail.urls import urlpatterns

    wrapped: list[URLPattern | URLResolver] = []
    for pattern in urlpatterns:
        if isinstance(pattern, URLPattern) and pattern.name and pattern.name.endswith("tracking_webhook"):
            wrapped.append(
                URLPattern(pattern.pattern, guarded(pattern.callback), pattern.default_args, pattern.name)
            )
    return wrapped
