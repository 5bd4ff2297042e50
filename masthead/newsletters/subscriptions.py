"""Joining and leaving a newsletter (the account page, the public page, imports, the one-click link)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from masthead.newsletters.models import DeliveryEvent, Issue, Newsletter, NewsletterSubscription

# A subscription that starts within this long after a click on an issue is attributed to it.
ATTRIBUTION_WINDOW = timedelta(days=7)


def subscribe(
    reader: Any, newsletter: Newsletter, source: str, *, now: datetime | None = None
) -> NewsletterSubscription:
    """Start (or restart) the reader's subscription; an active one is left as it is."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            row, created = NewsletterSubscription.objects.get_or_create(
                reader=reader, newsletter=newsletter, defaults={"created_at": now, "source": source}
            )
    except IntegrityError:  # a parallel request created it first
        row, created = NewsletterSubscription.objects.get(reader=reader, newsletter=newsletter), False
    if not created and row.unsubscribed_at is not None:
        row.unsubscribed_at, row.created_at, row.source = None, now, source
        row.save(update_fields=["unsubscribed_at", "created_at", "source"])
    return row


def unsubscribe(reader: Any, newsletter: Newsletter, *, now: datetime | None = None) -> bool:
    """End the reader's subscription. True when one was active (and is now ended)."""
    ended = (
        NewsletterSubscription.objects.active()
        .filter(reader=reader, newsletter=newsletter)
        .update(unsubscribed_at=now or timezone.now())
    )
    return ended > 0


def attributed_subscriptions(issue: Issue) -> int:
    """Subscriptions (paid, `billing`) that started within 7 days after the reader clicked a link
    in this issue: first-party attribution from the site's own click redirect."""
    from masthead.billing.models import Subscription

    clicks = (
        DeliveryEvent.objects.filter(
            issue=issue, kind=DeliveryEvent.Kind.CLICKED, recipient__reader__isnull=False
        )
        .values_list("recipient__reader_id", "at")
        .order_by("at")
    )
    first_click: dict[int, datetime] = {}
    for reader_id, at in clicks.iterator():
        first_click.setdefault(reader_id, at)
    if not first_click:
        return 0
    started = Subscription.objects.filter(user_id__in=list(first_click)).values_list("user_id", "started_at")
    readers = {
        user_id
        for user_id, started_at in started
        if started_at is not None
        and first_click[user_id] <= started_at <= first_click[user_id] + ATTRIBUTION_WINDOW
    }
    return len(readers)
