"""The image sizes pages ask for, in one place, so listings can prefetch exactly those renditions
and publishing can make them before the first reader asks.

Templates use the same specs through ``{% srcset_image %}`` (``fill-{480x270,960x540}`` expands
to the two card specs below); if a template and this module disagree, a listing would fall back
to one rendition query per card, which the query-count tests catch.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from wagtail.images import get_image_model

# Card widths step about 1.5x apart so the browser's pick is never much over the drawn size: 320 for
# a third of the front page's section column on a desktop (268 px), 720 for a phone at 1.75-2x.
CARD_SPECS = ("fill-320x180", "fill-480x270", "fill-720x405", "fill-960x540")
LEAD_SPECS = ("fill-800x450", "fill-1280x720")
HERO_SPECS = ("width-640", "width-1024", "width-1600")
# Body photos are drawn 640 px wide at most (in the 672 px column); 800 fits a phone at 1.75-2x.
BODY_SPECS = ("width-640", "width-800", "width-1024")
THUMB_SPECS = ("fill-96x96", "fill-192x192")
LOGO_SPECS = ("height-40", "height-80")
# Share cards (Open Graph / X): fill crops around the focal point (masthead.news.share_cards).
SHARE_SPECS = ("fill-1200x630",)
# Structured data (masthead.news.jsonld): 16:9, 4:3 and 1:1 crops of the photo, 1200 px wide.
JSONLD_SPECS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")


def webp_specs(specs: Iterable[str]) -> tuple[str, ...]:
    """The WebP twins of these specs (`<picture>`'s `<source type="image/webp">`,
    masthead.news.templatetags.modern_images); the plain ones stay the `<img>` fallback."""
    return tuple(f"{spec}|format-webp" for spec in specs)


CARD_WEBP_SPECS = webp_specs(CARD_SPECS)
LEAD_WEBP_SPECS = webp_specs(LEAD_SPECS)
HERO_WEBP_SPECS = webp_specs(HERO_SPECS)
BODY_WEBP_SPECS = webp_specs(BODY_SPECS)
# Made ahead of time for each photo in an article's body (the page's <picture>; the app API's subset).
ARTICLE_BODY_SPECS = BODY_SPECS + BODY_WEBP_SPECS
# What the app API (masthead.api) offers, unchanged for its clients: a subset of the above.
APP_CARD_SPECS = ("fill-480x270", "fill-960x540")
APP_BODY_SPECS = ("width-640", "width-1024")

LISTING_SPECS = CARD_SPECS + LEAD_SPECS + CARD_WEBP_SPECS + LEAD_WEBP_SPECS

logger = logging.getLogger(__name__)


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
        prefetch_related_objects(images, renditions_prefetch("renditions", ARTICLE_BODY_SPECS))


# Made ahead of time: the article page, its cards and the lead slot show an article's hero photo.
ARTICLE_HERO_SPECS = HERO_SPECS + HERO_WEBP_SPECS + LISTING_SPECS + SHARE_SPECS + JSONLD_SPECS


def specs_for_article(article: Any) -> dict[int, set[str]]:
    """The renditions a published article's photos will be asked for, by image pk."""
    wanted: dict[int, set[str]] = defaultdict(set)
    if article.hero_image_id:
        wanted[article.hero_image_id].update(ARTICLE_HERO_SPECS)
    if getattr(article, "share_image_id", None):
        wanted[article.share_image_id].update(SHARE_SPECS)
    for block in article.body.raw_data:  # the stored ids: no image is loaded to find them
        image = block["value"].get("image") if block["type"] == "image" else None
        if image:
            wanted[int(image)].update(ARTICLE_BODY_SPECS)
    return wanted


def specs_for_image_uses(image_pk: int) -> set[str]:
    """The renditions the places that show this image ask for (its body uses are found when the
    article is published)."""
    from masthead.core.models import PublicationSettings
    from masthead.news.models import ArticlePage, Author
    from masthead.sponsored.models import Sponsor

    specs: set[str] = set()
    if ArticlePage.objects.live().filter(hero_image_id=image_pk).exists():
        specs.update(ARTICLE_HERO_SPECS)
    if ArticlePage.objects.live().filter(share_image_id=image_pk).exists():
        specs.update(SHARE_SPECS)
    if Author.objects.filter(photo_id=image_pk).exists():
        specs.update(THUMB_SPECS)
    if (
        PublicationSettings.objects.filter(logo_id=image_pk).exists()
        or Sponsor.objects.filter(logo_id=image_pk).exists()
    ):
        specs.update(LOGO_SPECS)
    return specs


def make_renditions(wanted: Mapping[int, Iterable[str]]) -> None:
    """Make the renditions that do not exist yet. A photo that cannot be read is logged, never
    raised: the edit has already been saved, and the page makes what is missing when shown."""
    images = get_image_model().objects.in_bulk(list(wanted))
    for pk, specs in wanted.items():
        image = images.get(pk)
        if image is None or not specs:
            continue
        try:
            image.get_renditions(*sorted(specs))
        except Exception:
            logger.exception("Could not make renditions %s of image %s ahead of time", sorted(specs), pk)


def _after_commit(wanted: Mapping[int, Iterable[str]]) -> None:
    if wanted:
        # Once the edit is committed (its image rows exist for everyone), outside its transaction;
        # robust: a database error here is logged, the editor's publish has already succeeded.
        transaction.on_commit(lambda: make_renditions(wanted), robust=True)


def make_article_renditions(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver (page_published, ArticlePage): an article's photos, before readers come."""
    _after_commit(specs_for_article(instance))


# Saves that only record what Wagtail measured about the file, not a new file or focal point.
_BOOKKEEPING = frozenset({"file_size", "file_hash"})


def make_image_renditions(
    sender: Any, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """Signal receiver (post_save, the image model): an edited image (a new focal point changes
    its crops) has its renditions made again for the places that show it.

    A replaced file is not covered: Wagtail's image form deletes the old renditions after saving,
    so those are made when next shown (`masthead.news.rendition_safety` keeps that safe).
    """
    if created or instance.pk is None or (update_fields and set(update_fields) <= _BOOKKEEPING):
        return
    pk = instance.pk
    transaction.on_commit(lambda: make_renditions({pk: specs_for_image_uses(pk)}), robust=True)


def make_author_photo_renditions(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver (post_save, Author): the photo on the author's page."""
    if instance.photo_id:
        _after_commit({instance.photo_id: set(THUMB_SPECS)})


def make_logo_renditions(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Signal receiver (post_save of the publication settings or a sponsor): its logo."""
    if instance.logo_id:
        _after_commit({instance.logo_id: set(LOGO_SPECS)})
