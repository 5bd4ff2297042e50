"""Scenario 7, the yardstick: a bare Django view that renders one database row.

It runs in the same gunicorn workers, behind the same middleware, against the same database as
the site, so every scenario's ratio to it says how much the newsroom's own work costs.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.template import engines
from wagtail.models import Page

_TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>'
    "<body><h1>{{ page.title }}</h1><p>{{ page.url_path }}</p>"
    '<p>Last published {{ page.last_published_at|date:"j F Y" }}</p></body></html>'
)


def reference_view(request: HttpRequest, pk: int) -> HttpResponse:
    row = Page.objects.filter(pk=pk).values("title", "url_path", "last_published_at").first()
    if row is None:
        raise Http404
    return HttpResponse(_TEMPLATE.render({"page": row}, request))
