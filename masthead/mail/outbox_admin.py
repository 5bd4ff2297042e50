"""Outbox in the Wagtail admin: what the demo kept instead of sending (staff only, demo mode only).

A message's HTML is shown in a sandboxed iframe (`srcdoc`, no scripts, no same-origin, no forms)
whose document carries its own Content-Security-Policy: nothing but images from this site and
`data:` loads, so a kept e-mail cannot run code in, or reach out from, the editor's session.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.html import escape

from masthead.core.site_url import site_root_url
from masthead.mail.models import OutboxMessage

VIEW_PERMISSION = "mail.view_outboxmessage"
PER_PAGE = 50


def may_read_outbox(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        getattr(settings, "MASTHEAD_DEMO", False)
        and user.is_active
        and user.is_staff
        and (user.is_superuser or user.has_perm(VIEW_PERMISSION))
    )


def _check(request: HttpRequest) -> None:
    if not getattr(settings, "MASTHEAD_DEMO", False):
        raise Http404
    if not may_read_outbox(request):
        raise PermissionDenied


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def outbox_index(request: HttpRequest) -> HttpResponse:
    _check(request)
    query = (request.GET.get("q") or "").strip()[:200]
    kept = OutboxMessage.objects.only("pk", "to", "subject", "sent_at")
    if query:
        kept = kept.filter(Q(to__icontains=query) | Q(subject__icontains=query))
    page = Paginator(kept, PER_PAGE).get_page(request.GET.get("p"))
    return _private(TemplateResponse(request, "mail/admin/outbox_index.html", {"page": page, "query": query}))


def message_csp() -> str:
    site = site_root_url()
    return (
        "default-src 'none'; "
        f"img-src {site} data:; "
        "style-src 'unsafe-inline'; "
        "font-src 'none'; form-action 'none'; base-uri 'none'"
    )


def sandboxed_document(html: str) -> str:
    """The e-mail's HTML behind its own CSP meta tag, first thing in the document."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{escape(message_csp())}">'
    return meta + html


def outbox_message(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    message = get_object_or_404(OutboxMessage, pk=pk)
    context = {
        "message": message,
        "srcdoc": sandboxed_document(message.html) if message.html else "",
        "headers": sorted(message.headers.items()),
    }
    return _private(TemplateResponse(request, "mail/admin/outbox_message.html", context))
