"""An article body as typed JSON blocks, for apps that lay text out natively.

Only ever called with the blocks a reader may see: the cut happens before this, in `paywall.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpRequest
from wagtail.rich_text import RichText, expand_db_html

from masthead.core.site_url import absolute_url
from masthead.news.renditions import APP_BODY_SPECS

Block = dict[str, Any]


def image_json(*, request: HttpRequest, image: Any, specs: Sequence[str]) -> dict[str, Any] | None:
    if image is None:
        return None
    renditions = image.get_renditions(*specs).values()
    return {
        "alt": getattr(image, "description", "") or image.default_alt_text or "",
        "renditions": sorted(
            ({"url": absolute_url(r.url), "width": r.width, "height": r.height} for r in renditions),
            key=lambda r: r["width"],
        ),
    }


def _rich_text(value: Any) -> str:
    source = value.source if isinstance(value, RichText) else str(value or "")
    return expand_db_html(source)


def _related(*, request: HttpRequest, page: Any) -> dict[str, Any] | None:
    if page is None or not page.live:
        return None
    return {
        "id": page.pk,
        "headline": page.title,
        "url": page.get_full_url(request=request) or absolute_url("/"),
    }


def block_json(*, request: HttpRequest, block: Any) -> Block | None:
    kind, value = block.block_type, block.value
    if kind == "paragraph":
        return {"type": "paragraph", "html": _rich_text(value)}
    if kind == "heading":
        return {"type": "heading", "text": str(value)}
    if kind == "image":
        return {
            "type": "image",
            "image": image_json(request=request, image=value.get("image"), specs=APP_BODY_SPECS),
            "caption": value.get("caption") or "",
            "credit": value.get("credit") or "",
        }
    if kind == "pull_quote":
        return {
            "type": "pull_quote",
            "quote": value.get("quote") or "",
            "attribution": value.get("attribution") or "",
        }
    if kind == "fact_box":
        return {"type": "fact_box", "title": value.get("title") or "", "html": _rich_text(value.get("body"))}
    if kind == "related_article":
        return {
            "type": "related_article",
            "article": _related(request=request, page=value.get("article")),
            "label": value.get("label") or "",
        }
    return None  # a block type this API version does not know is left out, not guessed at


def body_json(*, request: HttpRequest, blocks: Iterable[Any]) -> list[Block]:
    return [out for block in blocks if (out := block_json(request=request, block=block)) is not None]
