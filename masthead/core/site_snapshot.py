"""The site, its publication settings and its privacy map for a request, from this worker's memory.

Wagtail would look the site up (one query), the templates the publication settings and logo (two
or three), and its privacy check the ancestors and their restrictions (two) on every page view.
None of them change between edits, so each worker keeps them for the current generation
(`masthead.core.generation`) and hands Wagtail the same objects it would have loaded.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponseBase
from django.http.request import split_domain_port
from wagtail.models import PageViewRestriction, Site

from masthead.core.generation import ProcessCache, current_generation
from masthead.core.models import PublicationSettings


@dataclass(frozen=True)
class SiteSnapshot:
    site: Site | None
    publication: PublicationSettings | None
    # Tree paths of every page that carries a view restriction (they cover their descendants).
    restricted_paths: tuple[str, ...]

    def may_be_restricted(self, page: Any) -> bool:
        if getattr(page, "alias_of_id", None):
            return True  # aliases take their source's restrictions: let Wagtail work it out
        return any(page.path.startswith(path) for path in self.restricted_paths)


_snapshots: ProcessCache = ProcessCache(size=32)
_current: contextvars.ContextVar[SiteSnapshot | None] = contextvars.ContextVar("site_snapshot", default=None)


def current_snapshot() -> SiteSnapshot | None:
    """The snapshot of the request being served, if the middleware made one."""
    return _current.get()


def snapshot_for_request(request: HttpRequest) -> SiteSnapshot:
    key = (split_domain_port(request._get_raw_host())[0], request.get_port())
    return _snapshots.get_or_load(key, generation=current_generation(request), load=lambda: _load(request))


def _load(request: HttpRequest) -> SiteSnapshot:
    from masthead.news.renditions import LOGO_SPECS, renditions_prefetch

    site = Site._find_for_request(request)
    publication = None
    if site is not None:
        site.root_page.specific  # noqa: B018 - resolved once here, not on every request
        publication = PublicationSettings.base_queryset().select_related("logo").filter(site=site).first()
        if publication is None:
            publication = PublicationSettings.for_site(site)
        if publication.logo is not None:
            prefetch_related_objects([publication.logo], renditions_prefetch("renditions", LOGO_SPECS))
    restricted = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
    return SiteSnapshot(site=site, publication=publication, restricted_paths=restricted)


class SiteSnapshotMiddleware:
    """Give Wagtail the request's site and settings before anything asks for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        snapshot = snapshot_for_request(request)
        request._wagtail_site = snapshot.site  # type: ignore[attr-defined]  # what Site.find_for_request keeps
        if snapshot.publication is not None:
            setattr(request, PublicationSettings.get_cache_attr_name(), snapshot.publication)
        token = _current.set(snapshot)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
