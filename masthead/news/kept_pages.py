"""The article page kept whole per edit and per what its reader can see; the reader's own parts
filled in on every request.

Rendering `base.html` and the article template around the kept parts of `news.fragments` was about
half the CPU of an anonymous metered article (cProfile, docs/performance.md "Issue 16"). Almost
all of that page is the same for every reader who gets the same cut, so the page is kept as a
*frame*: the template rendered once with its `{% reader_slot %}` regions left as markers. Each
request then renders only those regions — the paywall prompt, the printed wall notice, flash
messages — for its own reader and puts them in.

Everything outside a slot that may differ between two readers is in the frame's key:

- the cut: granted or not, and the teaser's length. A frame holding the gated rest is only ever
  given to a reader the paywall granted, so the cut of `ArticlePage.get_context` still decides;
- the header's account links and "Subscribe" (signed in or not; offered a subscription or not);
- the language, site, host, scheme and path (the `?next=` of the header's links), print mode, and
  the publication's day (the masthead's date, the printed footer's date);
- the article's revision and the generation (any edit, see `masthead.core.generation`).

Editors' previews are never kept. `MASTHEAD_CHECK_KEPT_PAGES` (on in the test settings) renders
every article the ordinary way as well and fails the request if the two differ, so every test
that reads an article checks this key and the slots.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.template import Node
from django.template.context import make_context
from django.utils import timezone, translation
from wagtail.models import Site

from masthead.core.generation import ProcessCache, current_generation
from masthead.core.site_url import site_root_url

# A few variants (cut, account links, print) of the articles read in the last minutes; ~20 KB each.
_frames: ProcessCache = ProcessCache(size=256)

# The context variable through which slots announce themselves while a frame is rendered.
COLLECTOR = "reader_slot_collector"
# Per process, so no text an editor or reader can write can look like a slot marker.
_TOKEN = secrets.token_hex(12)
_MARKER = re.compile(rf"<!--reader-slot:{_TOKEN}:(\d+)-->")


class KeptPageMismatch(AssertionError):
    """The kept page differed from the ordinary rendering (only raised when checking)."""


def marker(index: int) -> str:
    return f"<!--reader-slot:{_TOKEN}:{index}-->"


# Slots whose markup is a function of the page (the frame's key) and of what the paywall decided
# to say (`verdict.prompt`: state, count, text, offer), kept per such prompt; any other slot (the
# flash messages) is rendered on every request. A Prompt holds an offer with a list of benefits,
# so its repr, which names every field, stands for it in the key.
_slot_outputs: ProcessCache = ProcessCache(size=1024)
PROMPT_SLOTS = frozenset({"wall"})


def _prompt_of(context: dict[str, Any]) -> str:
    verdict = context.get("verdict")
    return repr((getattr(verdict, "granted", None), getattr(verdict, "prompt", None)))


@dataclass(frozen=True)
class Frame:
    """The page's markup, with the slot nodes to render per reader in between."""

    parts: tuple[str | Node, ...]

    def fill(self, template: Any, context: dict[str, Any], request: HttpRequest, *, key: Hashable) -> str:
        compiled = template.template
        generation = current_generation(request)
        bound: Any = None

        def render(slot: Any) -> str:
            nonlocal bound
            if bound is None:
                # The context the ordinary rendering gives the template
                # (django.template.base.Template.render), context processors included.
                bound = make_context(context, request, autoescape=compiled.engine.autoescape)
                bound.template_name = compiled.name
            with bound.render_context.push_state(compiled), bound.bind_template(compiled):
                return str(slot.nodelist.render(bound))

        html: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                html.append(part)
            elif getattr(part, "name", "") in PROMPT_SLOTS:
                slot_key = (key, part.name, _prompt_of(context))  # type: ignore[attr-defined]
                html.append(
                    _slot_outputs.get_or_load(slot_key, generation=generation, load=lambda p=part: render(p))
                )
            else:
                html.append(render(part))
        return "".join(html)


def _render_frame(template: Any, context: dict[str, Any], request: HttpRequest) -> Frame:
    collected: list[Node] = []
    html = template.render({**context, COLLECTOR: collected}, request)
    pieces = _MARKER.split(html)
    # split() alternates text and captured slot numbers: text, 0, text, 1, text...
    parts: list[str | Node] = []
    for position, piece in enumerate(pieces):
        parts.append(collected[int(piece)] if position % 2 else piece)
    return Frame(tuple(part for part in parts if part != ""))


def _publication_day(request: HttpRequest) -> str:
    from masthead.core.models import PublicationSettings

    # The same day base.html's masthead and the printed footer name: the publication's, or the
    # server's when there is no site yet. The site snapshot has put the settings on the request.
    if Site.find_for_request(request) is None:
        return timezone.localdate().isoformat()
    return timezone.localdate(timezone=PublicationSettings.for_request(request).zone).isoformat()


def frame_key(*, request: HttpRequest, article: Any, granted: bool, teaser_blocks: int) -> Hashable | None:
    """What the page outside its slots depends on; None for a page that is never kept."""
    from masthead.access.previews import preview_reader
    from masthead.pages.context_processors import offers_subscription, signed_in_frame

    if getattr(request, "is_preview", False) or preview_reader(request) is not None:
        return None
    site = Site.find_for_request(request)
    return (
        article.pk,
        article.latest_revision_id,
        translation.get_language(),
        site_root_url(),
        site.pk if site else None,
        request.get_host(),
        request.scheme,
        request.path,
        bool(request.GET.get("print")),
        granted,
        teaser_blocks,
        signed_in_frame(request),
        offers_subscription(request),
        _publication_day(request),
    )


def render_page(*, template: Any, context: dict[str, Any], request: HttpRequest, key: Hashable | None) -> str:
    """The article page for this reader: the kept frame with this reader's slots filled in."""
    if key is None:
        return str(template.render(context, request))
    # A template reloaded in development is a new object: its frames start over.
    key = (id(template.template), key)
    frame = _frames.get_or_load(
        key, generation=current_generation(request), load=lambda: _render_frame(template, context, request)
    )
    html = frame.fill(template, context, request, key=key)
    if getattr(settings, "MASTHEAD_CHECK_KEPT_PAGES", False):
        _check(html, template.render(context, request))
    return html


def _check(kept: str, ordinary: str) -> None:
    if kept == ordinary:
        return
    pairs = enumerate(zip(kept, ordinary, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(kept), len(ordinary)))
    raise KeptPageMismatch(
        f"the kept article page differs from its ordinary rendering at character {at}:\n"
        f"kept:     {kept[max(0, at - 120) : at + 120]!r}\n"
        f"ordinary: {ordinary[max(0, at - 120) : at + 120]!r}"
    )
