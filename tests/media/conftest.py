"""Fixtures for the media tests: a publication and photos named the way the newsroom names them."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from tests.builders import Publication, make_publication


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Publication:
    return make_publication(("Politics", "Business"))


def jpeg_bytes(size: tuple[int, int] = (1600, 900)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (140, 90, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def uploaded_photos(db: Any) -> Iterator[list[Image]]:
    """Photos uploaded under the names an editor gives them; their files are removed afterwards."""
    photos: list[Image] = []

    def upload(name: str) -> Image:
        photo = Image.objects.create(title=name, file=ImageFile(io.BytesIO(jpeg_bytes()), name=name))
        photos.append(photo)
        return photo

    yield upload  # type: ignore[misc]
    for photo in Image.objects.filter(pk__in=[p.pk for p in photos]):
        for rendition in photo.renditions.all():
            rendition.file.delete(save=False)
        photo.file.delete(save=False)
