"""An expiry time is a promise to readers: past it, a page is gone at once.

Wagtail only unpublishes an expired page when `publish_scheduled` next runs (the newsroom's
scheduler, `manage.py run_newsroom`, runs it every minute). Until then the page is still `live`,
so every reader surface also checks `expire_at` itself, on every request: listings, feeds, the
sitemap, search and the API filter on it in SQL, and routing compares the expiry already on the
routed page (no query). Going live at a scheduled time still needs the scheduler, because a
scheduled revision is not the page's content until it is published.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from wagtail.url_routing import RouteResult


def still_running(*, now: datetime | None = None) -> Q:
    """Pages that have no expiry, or whose expiry is still ahead."""
    return Q(expire_at__isnull=True) | Q(expire_at__gt=now or timezone.now())


def has_expired(page: Any, *, now: datetime | None = None) -> bool:
    expire_at = getattr(page, "expire_at", None)
    return expire_at is not None and expire_at <= (now or timezone.now())


class GoneAtExpiry:
    """Page mixin: past its expiry the page is not found, even before the scheduler unpublishes it.

    Editors' previews do not route, so an expired page can still be previewed and republished.
    """

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        if not path_components and has_expired(self):
            raise Http404
        return super().route(request, path_components)  # type: ignore[misc]


def expired_pages(*, now: datetime | None = None) -> Any:
    """Ids of pages past their expiry, as a subquery: for Wagtail search querysets, which filter
    only on indexed fields (`id` is one, `expire_at` is not): `.exclude(pk__in=expired_pages())`."""
    from wagtail.models import Page

    return Page.objects.filter(expire_at__lte=now or timezone.now()).values("pk")
