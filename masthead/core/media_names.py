"""Image files are stored under names nobody can guess.

Wagtail names an original after its upload (`original_images/<slug>-map.jpg`) and each rendition
after the original (`images/<slug>-map.fill-800x450.format-jpeg.jpg`). Media is served without the
paywall (by `django.views.static.serve` here, by object storage in production), so a photo that
sits in the gated part of a story would be one guess away for anyone who can read the slug.

Every image file saved through these storages is named by a fresh random token instead, keeping
only its folder and extension. A rendition gets its own token rather than one derived from its
original's name, so a public rendition (a hero photo on a section page) never gives away the name
of its original, nor one rendition the name of another.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

# Wagtail's folders for originals and renditions (wagtail.images.models get_upload_to).
# Documents keep their names: they are served through Wagtail's view, which names the download
# after the stored file.
IMAGE_FOLDERS = ("original_images", "images")
# 128 bits: not found by enumeration, and hex stays one name on case-insensitive file systems.
TOKEN_BYTES = 16
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}")


def unguessable_name(name: str) -> str:
    """The name to store an image file under: same folder and extension, a random file name.

    Names outside the image folders are returned unchanged.
    """
    folder, file_name = os.path.split(str(name).replace("\\", "/"))
    if folder not in IMAGE_FOLDERS:
        return name
    extension = os.path.splitext(file_name)[1]
    if not _EXTENSION.fullmatch(extension):
        raise ValueError(f"An image file needs an extension such as .jpg, not {file_name!r}.")
    return f"{folder}/{secrets.token_hex(TOKEN_BYTES)}{extension.lower()}"


class UnguessableImageNames:
    """Storage mixin: put it before the storage class (`class S(UnguessableImageNames, Storage)`)."""

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        # Every save passes through here (Storage.save), for originals and renditions alike.
        return super().get_available_name(unguessable_name(name), max_length=max_length)  # type: ignore[misc, no-any-return]


class UnguessableFileSystemStorage(UnguessableImageNames, FileSystemStorage):
    """Local media (the embedded setup): MEDIA_ROOT, with unguessable image names."""


_STORED_NAME = re.compile(rf"({'|'.join(IMAGE_FOLDERS)})/[0-9a-f]{{{TOKEN_BYTES * 2}}}\.[a-z0-9]{{1,10}}")


@dataclass(frozen=True)
class Renamed:
    originals: int
    renditions_dropped: int
    missing: list[str]


def rename_guessable_images() -> Renamed:
    """Store every original image saved under an older, guessable name again under a random one,
    and drop such renditions (they are made again, under random names, when next shown).

    For sites upgraded from a release that named files after their upload (`manage.py
    rename_image_files`). Files already named by a token are left alone, so it can run again.
    """
    from wagtail.images import get_image_model

    image_model = get_image_model()
    rendition_model = image_model.get_rendition_model()
    originals, missing = 0, []
    for image in image_model.objects.only("pk", "file").iterator():
        old = image.file.name
        if _STORED_NAME.fullmatch(old):
            continue
        storage = image.file.storage
        if not isinstance(storage, UnguessableImageNames):
            raise ImproperlyConfigured(
                f"{type(storage).__name__} keeps the names it is given: set STORAGES['default'] to a "
                "masthead.core.media_names storage before renaming image files."
            )
        if not storage.exists(old):
            missing.append(old)
            continue
        with storage.open(old, "rb") as content:
            new = storage.save(old, content)
        image_model.objects.filter(pk=image.pk).update(file=new)
        storage.delete(old)
        originals += 1
    stale = [
        r
        for r in rendition_model.objects.only("pk", "file").iterator()
        if not _STORED_NAME.fullmatch(r.file.name)
    ]
    for rendition in stale:
        rendition.file.storage.delete(rendition.file.name)
    rendition_model.objects.filter(pk__in=[r.pk for r in stale]).delete()
    # Wagtail keeps rendition objects in this cache: forget the dropped ones (this process; other
    # app servers forget them on restart).
    rendition_model.cache_backend.clear()
    return Renamed(originals=originals, renditions_dropped=len(stale), missing=missing)


@cache
def _s3_storage_class() -> type:
    try:
        from storages.backends.s3 import S3Storage
    except ImportError as error:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME is set but django-storages is not installed: "
            "install the S3 extra (pip install -e '.[s3]')."
        ) from error
    return type("UnguessableS3Storage", (UnguessableImageNames, S3Storage), {"__module__": __name__})


def __getattr__(name: str) -> Any:
    # django-storages is an optional extra: the S3 class exists only when settings ask for it.
    if name == "UnguessableS3Storage":
        return _s3_storage_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
