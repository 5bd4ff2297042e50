"""Navigation and publication name for every template, read once per request."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def publication(request: HttpRequest) -> dict[str, Any]:
    from masthead.news.navigation import section_links

    return {"nav_sections": section_links}
