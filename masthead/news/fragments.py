"""Rendered parts of an article page, kept per worker until the next edit.

An article's header (kicker, headline, byline, dateline, times, share links, hero photo), its
`<head>` additions (canonical link, JSON-LD) and its body are the same for every reader who may
see them; only the cut, the prompt and the account links differ. Each part is rendered once per
generation (`masthead.core.generation`: any publish or edit starts a new one) and language.

The teaser and the gated rest of the body are kept as separate parts, so the page still only
ever receives the gated HTML for a reader the paywall granted: the cut stays in
`ArticlePage.get_context`, which decides which parts to ask for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Site

from masthead.core.generation import ProcessCache, current_generation
from masthead.core.site_url import site_root_url
from masthead.news.renditions import HERO_SPECS, JSONLD_SPECS, prefetch_block_renditions, renditions_prefetch
from masthead.news.sponsored_links import mark_sponsored_links

# Sized for the articles readers actually open in a few minutes; ~20 KB each at most.
_parts: ProcessCache = ProcessCache(size=768)


@dataclass(frozen=True)
class ArticleChrome:
    head: SafeString  # canonical link and JSON-LD, for <head>
    header: SafeString  # everything above the body
    url: str  # the article's own path, for the printed footer


def _key(request: HttpRequest, article: Any, part: str, *extra: Any) -> tuple[Any, ...]:
    # Absolute URLs (canonical, JSON-LD, share links) name the site URL, never the request's host;
    # which Site answered the request decides only whether links to pages are relative.
    site = Site.find_for_request(request)
    where = (site_root_url(), site.pk if site else None)
    return (article.pk, article.latest_revision_id, translation.get_language(), where, part, *extra)


def _fresh_or_preview(request: HttpRequest) -> bool:
    # An editor's preview renders unsaved content under the saved page's id: never kept.
    return bool(getattr(request, "is_preview", False))


def article_chrome(*, request: HttpRequest, article: Any) -> ArticleChrome:
    if _fresh_or_preview(request):
        return _render_chrome(request, article)
    return _parts.get_or_load(
        _key(request, article, "chrome"),
        generation=current_generation(request),
        load=lambda: _render_chrome(request, article),
    )


def article_body(*, request: HttpRequest, article: Any, start: int, stop: int) -> SafeString:
    """The HTML of body blocks [start, stop): the teaser, or the gated rest."""
    if start >= stop:
        return SafeString("")
    if _fresh_or_preview(request):
        return _render_blocks(request, article, start, stop)
    return _parts.get_or_load(
        _key(request, article, "body", start, stop),
        generation=current_generation(request),
        load=lambda: _render_blocks(request, article, start, stop),
    )


def _render_chrome(request: HttpRequest, article: Any) -> ArticleChrome:
    if article.hero_image_id:
        prefetch_related_objects(
            [article.hero_image], renditions_prefetch("renditions", HERO_SPECS + JSONLD_SPECS)
        )
    section = article.get_parent()
    context = {"page": article, "section": section}
    return ArticleChrome(
        head=mark_safe(render_to_string("news/includes/article_head.html", context, request)),  # noqa: S308
        header=mark_safe(render_to_string("news/includes/article_header.html", context, request)),  # noqa: S308
        url=article.get_url(request=request) or "",
    )


def _render_blocks(request: HttpRequest, article: Any, start: int, stop: int) -> SafeString:
    # Renditions for the images of the whole body in one query: the teaser and the gated rest are
    # rendered separately, and the second finds them already loaded.
    prefetch_block_renditions(list(article.body))
    blocks = list(article.body[start:stop])
    context = {"page": article, "request": request}
    html = "".join(block.render_as_block(context) for block in blocks)
    return mark_sponsored_links(html) if article.is_sponsored else mark_safe(html)  # noqa: S308


_chrome: ProcessCache = ProcessCache(size=1024)


def kept_fragment(
    *, request: HttpRequest, name: str, vary: tuple[str, ...], render: Callable[[], str]
) -> str:
    """Page-frame markup (masthead, footer) that only changes with an edit or the given values."""
    if _fresh_or_preview(request):
        return render()
    key = (name, translation.get_language(), *vary)
    return _chrome.get_or_load(key, generation=current_generation(request), load=render)


class BodyBlocks(Sequence[Any]):
    """Body blocks [start, stop), turned into block objects only if someone reads them.

    The page renders the kept HTML instead; this keeps `body_teaser` / `body_gated` in the
    context (for templates and tests that inspect the cut) without loading every image.
    """

    def __init__(self, article: Any, start: int, stop: int) -> None:
        self._article, self._start, self._stop = article, start, max(start, stop)

    def __len__(self) -> int:
        return self._stop - self._start

    def __iter__(self) -> Iterator[Any]:
        return iter(self._article.body[self._start : self._stop])

    def __getitem__(self, index: Any) -> Any:
        return self._article.body[self._start : self._stop][index]

    def __bool__(self) -> bool:
        return self._stop > self._start
