"""`{% webp_source image "fill-{480x270,960x540}" sizes="…" %}`: the WebP `<source>` of a
`<picture>` whose `<img>` (Wagtail's `{% srcset_image %}` with the same specs) is the JPEG/PNG
fallback. Browsers that read WebP (all current ones) take the smaller file.

The specs are the ones masthead.news.renditions makes ahead of time (`webp_specs`), so a first
view does not make them on the request path.

`sizes` says how wide each slot is drawn, worked out from masthead.css (root 16px; `.main` is at
most --wide 76rem = 1216px with 1rem padding a side, 1.5rem from 768px; card grids have a 1.5rem
gap), so the browser picks the smallest file that fills it. Where the layout changes, so must these.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.forms.utils import flatatt
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Filter, ResponsiveImage
from wagtail.images.shortcuts import get_renditions_or_not_found

from masthead.news.renditions import webp_specs

register = template.Library()

PHONE = "calc(100vw - 32px)"  # one column below 600px (768px for the lead and the body)

# A photo in the article body: drawn at its width attribute (640, the smallest rendition's) in
# the 42rem (672px) column, or narrower with the page less its padding.
BODY_SIZES = f"(min-width: 672px) 640px, {PHONE}"

# The lead card: picture beside text from 768px, in a 3fr 2fr grid with a 1.5rem gap, the
# picture 0.6 × (content width − 24px); the content width stops growing at 1216px viewports.
LEAD_SIZES = f"(min-width: 1216px) 687px, (min-width: 768px) calc(60vw - 43px), {PHONE}"

# Section, topic and author pages: two columns from 600px, three from 1024px.
LISTING_SIZES = (
    "(min-width: 1216px) 374px, (min-width: 1024px) calc(33.34vw - 32px), "
    f"(min-width: 768px) calc(50vw - 36px), (min-width: 600px) calc(50vw - 28px), {PHONE}"
)


def front_card_sizes(position: int, count: int) -> str:
    """A card in a section of the front page, the `position`th (from 0) of `count`.

    The sections column is 3fr beside the latest list's minmax(16rem, 1fr) (2rem gap) from
    1024px (the list holds 16rem until 1104px). From 600px to 1279px the cards pair up and an odd
    count gives the first the full width with its picture at 3fr of 3fr 2fr (1.25rem gap). From
    1280px the column (852px) has six tracks: cards span two (268px) or three (414px), a lone card
    takes it all with its picture at 3fr of 3fr 2fr (1.5rem gap): see masthead.css.
    """
    wide_first = count % 2 == 1 and position == 0
    if count == 1:
        desktop = "497px"
    elif (count % 3 == 2 and position < 2) or (count % 3 == 1 and (position < 2 or position >= count - 2)):
        desktop = "414px"
    else:
        desktop = "268px"
    if wide_first:
        steps = ["500px", "calc(45vw - 48px)", "calc(60vw - 213px)", "calc(60vw - 40px)", "calc(60vw - 31px)"]
    else:
        steps = [
            "414px",
            "calc(37.5vw - 42px)",
            "calc(50vw - 180px)",
            "calc(50vw - 36px)",
            "calc(50vw - 28px)",
        ]
    breakpoints = ("1280px", "1216px", "1104px", "1024px", "768px", "600px")
    parts = [f"(min-width: {bp}) {size}" for bp, size in zip(breakpoints, [desktop, *steps], strict=True)]
    return ", ".join([*parts, PHONE])


@register.simple_tag
def card_sizes(variant: str = "", position: Any = "", count: Any = "") -> str:
    """The `sizes` of a card's picture: the lead, a front-page section card (given its place in
    its section), or a card on a section, topic or author page."""
    if variant == "lead":
        return LEAD_SIZES
    if isinstance(position, int) and isinstance(count, int) and count:
        return front_card_sizes(position, count)
    return LISTING_SIZES


@register.simple_tag
def body_image_sizes() -> str:
    return BODY_SIZES


@register.simple_tag
def webp_source(image: Any, specs: str, sizes: str = "") -> SafeString:
    if not image:
        return mark_safe("")
    filters = [Filter(spec=spec) for spec in webp_specs(Filter.expand_spec(specs))]
    renditions = list(get_renditions_or_not_found(image, filters).values())
    attrs = {"type": "image/webp", "srcset": ResponsiveImage.get_width_srcset(renditions)}
    if sizes:
        attrs["sizes"] = sizes
    return mark_safe(f"<source{flatatt(attrs)}>")  # noqa: S308 - flatatt escapes the values
