"""How the demo articles are written down, and how their text becomes a StreamField body.

The article texts live in plain Python modules (one per section) in a light markup, so a
journalist can read and edit them without knowing StreamField's JSON:

    A paragraph is a block of lines. [Links](https://example.org) are allowed.

    ## A heading

    > A pull quote, over one or more lines.
    ~ Who said it

    [image:feeder-ship] The caption of an inline picture (a scene in demo.drawing) | The credit

    [facts] The title of a fact box
    - one fact
    - another fact

    [related] slug-of-another-demo-article | Read more
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_ITALIC = re.compile(r"\*([^*]+)\*")


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    section: str
    headline: str
    standfirst: str
    dateline: str
    authors: tuple[str, ...]
    scene: str
    hero_caption: str
    hero_credit: str
    body: str
    published_days_ago: float
    kicker: str | None = None
    access: str = "metered"
    sponsored: bool = False
    updated_hours_later: float | None = None


@dataclass(frozen=True)
class InlineImage:
    scene: str
    caption: str
    credit: str


@dataclass(frozen=True)
class RelatedLink:
    slug: str
    label: str


def inline_markup(text: str) -> str:
    """Escape the text, then turn [label](url) into links and *words* into italics."""
    escaped = html.escape(" ".join(text.split()), quote=False)
    linked = _LINK.sub(lambda m: f'<a href="{html.escape(m.group(2))}">{m.group(1)}</a>', escaped)
    return _ITALIC.sub(r"<i>\1</i>", linked)


def parse_body(text: str) -> list[tuple[str, Any]]:
    """Split the markup into (block type, value) pairs; images and related links stay symbolic."""
    blocks: list[tuple[str, Any]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.strip().splitlines() if line.strip()]
        first = lines[0]
        if first.startswith("## "):
            blocks.append(("heading", first[3:].strip()))
        elif first.startswith("> "):
            quote = " ".join(line[2:] for line in lines if line.startswith("> "))
            attribution = " ".join(line[2:] for line in lines if line.startswith("~ "))
            blocks.append(("pull_quote", {"quote": quote, "attribution": attribution}))
        elif first.startswith("[image:"):
            scene, _, rest = first[len("[image:") :].partition("]")
            caption, _, credit = " ".join([rest, *lines[1:]]).partition("|")
            blocks.append(("image", InlineImage(scene.strip(), caption.strip(), credit.strip())))
        elif first.startswith("[facts]"):
            items = "".join(f"<li>{inline_markup(line[2:])}</li>" for line in lines[1:])
            blocks.append(
                ("fact_box", {"title": first[len("[facts]") :].strip(), "body": f"<ul>{items}</ul>"})
            )
        elif first.startswith("[related]"):
            slug, _, label = first[len("[related]") :].partition("|")
            blocks.append(("related_article", RelatedLink(slug.strip(), label.strip())))
        else:
            blocks.append(("paragraph", f"<p>{inline_markup(' '.join(lines))}</p>"))
    return blocks


def stream_data(
    blocks: list[tuple[str, Any]],
    *,
    image_id: Callable[[InlineImage], int],
    page_id: Callable[[RelatedLink], int],
) -> list[dict[str, Any]]:
    """The raw StreamField data, with symbolic images and links resolved to database ids."""
    data: list[dict[str, Any]] = []
    for block_type, value in blocks:
        if isinstance(value, InlineImage):
            value = {"image": image_id(value), "caption": value.caption, "credit": value.credit}
        elif isinstance(value, RelatedLink):
            value = {"article": page_id(value), "label": value.label}
        data.append({"type": block_type, "value": value})
    return data


def related_slugs(article: DemoArticle) -> set[str]:
    return {value.slug for _, value in parse_body(article.body) if isinstance(value, RelatedLink)}
