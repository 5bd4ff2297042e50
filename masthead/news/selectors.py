"""Reads for listing pages."""

from __future__ import annotations

from typing import Any


def front_page_stories(*, home: Any) -> dict[str, Any]:
    from masthead.news.models import ArticlePage

    latest = list(ArticlePage.objects.descendant_of(home).for_listing()[:20])
    lead = home.lead_story if home.lead_story_id else (latest[0] if latest else None)
    return {"lead": lead, "latest": [a for a in latest if a != lead][:10]}
