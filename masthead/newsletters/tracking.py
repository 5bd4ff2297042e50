"""First-party numbers: clicks through the site's own redirect, opens only when turned on.

Clicks: every link in an issue (when the newsletter counts clicks) points at
`/email/click/<issue>/<recipient token>/?u=<url>&s=<signature>`. The signature covers the issue and
the URL, so the redirect goes only where the issue linked (never an open redirect); the recipient
token is a signed recipient id, so a click is attributed to a reader without putting an address in
the link. A bad signature is a 400 with nothing recorded.

Opens (only when the newsletter counts them): a one-pixel image. Opens are not reads: Apple Mail
Privacy Protection fetches every image of every message through Apple's proxies whether or not the
reader opens it, and other providers' scanners do the same. Such fetches are counted apart as
"machine opens", by what can be known honestly from the request: Apple's proxies use Apple's own
network (17.0.0.0/8) and a bare "Mozilla/5.0" user agent; a fetch from either is a machine open.
This is a heuristic and is labelled so in the admin: a human open behind Apple's proxy is a
machine open too, which is why opens are off by default and never a headline number.
"""

from __future__ import annotations

import base64
import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from masthead.newsletters.models import DeliveryEvent, Recipient
from masthead.newsletters.rendering import click_signature, read_recipient_token

# Apple's network, where Mail Privacy Protection's image proxies fetch from; more in settings.
DEFAULT_MACHINE_OPEN_NETWORKS = ("17.0.0.0/8",)
MACHINE_USER_AGENTS = ("Mozilla/5.0",)  # exactly this, nothing after it: Apple's proxy

_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    names = getattr(settings, "MASTHEAD_MACHINE_OPEN_NETWORKS", DEFAULT_MACHINE_OPEN_NETWORKS)
    return [ipaddress.ip_network(n, strict=False) for n in names]


def is_machine_open(*, user_agent: str | None, address: str | None) -> bool:
    """Whether an open was most likely a machine fetching images (Apple MPP), not a reader."""
    agent = (user_agent or "").strip()
    if agent in MACHINE_USER_AGENTS:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in _networks())


def _recipient(issue_id: int, token: str) -> Recipient | None:
    recipient_id = read_recipient_token(token)
    if recipient_id is None:
        return None
    return Recipient.objects.filter(pk=recipient_id, issue_id=issue_id).first()


@require_GET
@never_cache
def click(request: HttpRequest, issue_id: int, token: str) -> HttpResponse:
    url = request.GET.get("u", "")
    signature = request.GET.get("s", "")
    if (
        not url
        or "\x00" in url
        or urlsplit(url).scheme not in ("http", "https")
        or not constant_time_compare(signature, click_signature(issue_id=issue_id, url=url))
    ):
        return HttpResponseBadRequest("This link is not valid.")
    recipient = _recipient(issue_id, token)
    if recipient is not None:
        DeliveryEvent.objects.create(
            recipient=recipient,
            issue_id=issue_id,
            kind=DeliveryEvent.Kind.CLICKED,
            url=url[:2000],
            at=timezone.now(),
        )
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_GET
@never_cache
def open_pixel(request: HttpRequest, issue_id: int, token: str) -> HttpResponse:
    recipient = _recipient(issue_id, token)
    if recipient is not None and recipient.issue.newsletter.track_opens:
        machine = is_machine_open(
            user_agent=request.META.get("HTTP_USER_AGENT"), address=request.META.get("REMOTE_ADDR")
        )
        DeliveryEvent.objects.create(
            recipient=recipient,
            issue_id=issue_id,
            kind=DeliveryEvent.Kind.MACHINE_OPEN if machine else DeliveryEvent.Kind.OPENED,
            at=timezone.now(),
        )
    return HttpResponse(_PIXEL, content_type="image/gif")
