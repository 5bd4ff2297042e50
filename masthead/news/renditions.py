"""The image sizes pages ask for, in one place, so listings can prefetch exactly those renditions.

Templates use the same specs through ``{% srcset_image %}`` (``fill-{480x270,960x540}`` expands
to the two card specs below); if a template and this module disagree, a listing would fall back
to one rendition query per card, which the query-count tests catch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

CARD_SPECS = ("fill-480x270", "fill-960x540")
LEAD_SPECS = ("fill-800x450", "fill-1280x720")
HERO_SPECS = ("width-640", "width-1024", "width-1600")
BODY_SPECS = ("width-640", "width-1024")
THUMB_SPECS = ("fill-96x96", "fill-192x192")
LOGO_SPECS = ("height-40", "height-80")

LISTING_SPECS = CARD_SPECS + LEAD_SPECS


def renditions_prefetch(lookup: str, specs: Iterable[str]) -> Prefetch:
    """A Prefetch that loads only the renditions a template will ask for."""
    rendition_model = get_image_model().get_rendition_model()
    return Prefetch(lookup, queryset=rendition_model.objects.filter(filter_spec__in=list(specs)))


def prefetch_block_renditions(blocks: Iterable[Any]) -> None:
    """Load the renditions of every image in an article body with one query.

    StreamField already loads the images of all image blocks in one query; without this each
    image would then look up its renditions on its own.
    """
    images = [
        block.value["image"]
        for block in blocks
        if block.block_type == "image" and block.value.get("image") is not None
    ]
    if images:
        prefetch_related_objects(images, renditions_prefetch("renditions", BODY_SPECS))
