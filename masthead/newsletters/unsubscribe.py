"""One-click unsubscribe (RFC 8058) with a signed link that needs no login.

The link names the reader and the newsletter and carries an HMAC of both: it unsubscribes exactly
that reader from exactly that newsletter, and any change to either (another reader, another
newsletter) fails the signature. GET shows a confirmation page (link scanners and prefetchers
follow links, so a GET changes nothing); POST unsubscribes. The POST needs no session and no CSRF
token: RFC 8058 has the mail provider post `List-Unsubscribe=One-Click` without cookies, and the
signature is what authorises it. Only this view is exempt from CSRF.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from masthead.core.site_url import absolute_url
from masthead.newsletters.models import DeliveryEvent, Newsletter, Recipient
from masthead.newsletters.subscriptions import unsubscribe

SALT = "masthead.newsletters.unsubscribe"


def _signature(reader_id: int, newsletter_id: int) -> str:
    return salted_hmac(SALT, f"{reader_id}|{newsletter_id}").hexdigest()[:32]


def unsubscribe_url(recipient_or_reader: Any, newsletter: Newsletter | int) -> str:
    """The signed one-click link for a reader (a Recipient, a user, or a user id) and a newsletter."""
    if isinstance(recipient_or_reader, Recipient):
        reader_id = recipient_or_reader.reader_id
    elif isinstance(recipient_or_reader, int):
        reader_id = recipient_or_reader
    else:
        reader_id = recipient_or_reader.pk
    newsletter_id = newsletter if isinstance(newsletter, int) else newsletter.pk
    path = reverse(
        "newsletter_mail:unsubscribe", args=[reader_id, newsletter_id, _signature(reader_id, newsletter_id)]
    )
    return absolute_url(path)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe_view(
    request: HttpRequest, reader_id: int, newsletter_id: int, signature: str
) -> HttpResponse:
    if not constant_time_compare(signature, _signature(reader_id, newsletter_id)):
        return render(request, "newsletters/unsubscribe.html", {"bad_link": True}, status=400)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    from masthead.accounts.models import User

    reader = User.objects.filter(pk=reader_id).first()
    if newsletter is None or reader is None:
        return render(request, "newsletters/unsubscribe.html", {"bad_link": True}, status=404)
    if request.method == "GET":
        return render(
            request, "newsletters/unsubscribe.html", {"newsletter": newsletter, "email": reader.email}
        )
    if unsubscribe(reader, newsletter):
        recipient = (
            Recipient.objects.filter(reader_id=reader_id, issue__newsletter_id=newsletter_id)
            .order_by("-pk")
            .first()
        )
        DeliveryEvent.objects.create(
            recipient=recipient,
            issue_id=recipient.issue_id if recipient else None,
            kind=DeliveryEvent.Kind.UNSUBSCRIBED,
            at=timezone.now(),
        )
    return render(request, "newsletters/unsubscribe.html", {"newsletter": newsletter, "done": True})
