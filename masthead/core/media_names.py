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
