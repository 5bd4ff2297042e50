"""`{% webp_source image "fill-{480x270,960x540}" sizes="…" %}`: the WebP `<source>` of a
`<picture>` whose `<img>` (Wagtail's `{% srcset_image %}` with the same specs) is the JPEG/PNG
fallback. Browsers that read WebP (all current ones) take the smaller file.

The specs are the ones masthead.news.renditions makes ahead of time (`webp_specs`), so a first
view does not make them on the request path.
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
