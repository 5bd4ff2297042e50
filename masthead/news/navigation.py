"""Section links for the navigation bar."""

from __future__ import annotations


def section_links() -> list[dict[str, str]]:
    from masthead.news.models import SectionPage

    return [
        {"title": s.title, "url": s.url or ""}
        for s in SectionPage.objects.live().public().order_by("path")
    ]
