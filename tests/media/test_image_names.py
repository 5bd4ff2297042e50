"""Image files are stored under random names: an original is not found from the story's slug, and a
rendition's name gives away neither its original nor its siblings."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.test import Client

from masthead.core import media_names
from masthead.news.demo.build import ensure_image
from tests.media.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db

TOKEN = r"[0-9a-f]{32}"


def stem(name: str) -> str:
    return os.path.splitext(os.path.basename(name))[0]


def test_an_original_is_stored_under_a_fresh_random_name(uploaded_photos: Any) -> None:
    first = uploaded_photos("valdora-talks-map.jpg")
    second = uploaded_photos("valdora-talks-map.jpg")

    for photo in (first, second):
        assert re.fullmatch(rf"original_images/{TOKEN}\.jpg", photo.file.name), photo.file.name
        assert "valdora" not in photo.file.url
    assert first.file.name != second.file.name


def test_a_rendition_gets_its_own_random_name(uploaded_photos: Any) -> None:
    photo = uploaded_photos("kessen-harbour-map.jpg")

    renditions = photo.get_renditions("width-640", "fill-480x270", "width-1024|format-webp").values()

    names = [rendition.file.name for rendition in renditions]
    for name in names:
        assert re.fullmatch(rf"images/{TOKEN}\.(jpg|webp)", name), name
        assert stem(photo.file.name) not in name and "kessen" not in name
    assert len({stem(name) for name in names}) == 3


def test_the_old_guessable_urls_are_not_found_but_the_real_ones_are(pub: Any, uploaded_photos: Any) -> None:
    photo = uploaded_photos("story-7-map.jpg")
    rendition = photo.get_rendition("width-640")
    client = Client()

    assert client.get(photo.file.url).status_code == 200
    assert client.get(rendition.url).status_code == 200
    for guess in (
        "/media/original_images/story-7-map.jpg",
        "/media/images/story-7-map.width-640.jpg",
        "/media/images/story-7-map.width-640.format-jpeg.jpg",
    ):
        assert client.get(guess).status_code == 404, guess


@pytest.mark.parametrize(
    "folder", ["/media/", "/media/original_images/", "/media/images/", "/media/documents/"]
)
def test_media_folders_cannot_be_listed(pub: Any, uploaded_photos: Any, folder: str) -> None:
    photo = uploaded_photos("story-8-map.jpg")
    photo.get_rendition("width-640")

    response = Client().get(folder)

    assert response.status_code == 404
    assert stem(photo.file.name) not in response.content.decode()


def test_demo_photos_get_random_names_too(db: Any) -> None:
    # build_demo names inline photos after the story (`<slug>-<motif>.jpg`) before storing them.
    photo = ensure_image(title="Demo map", filename="valdora-kessen-talks-map.jpg", draw=jpeg_bytes)
    try:
        assert re.fullmatch(rf"original_images/{TOKEN}\.jpg", photo.file.name)
    finally:
        photo.file.delete(save=False)


def test_other_files_keep_their_names() -> None:
    # Documents are served through Wagtail's view, which names the download after the stored file.
    assert media_names.unguessable_name("documents/annual-report.pdf") == "documents/annual-report.pdf"


def test_an_image_file_without_an_extension_is_refused_clearly() -> None:
    with pytest.raises(ValueError, match="needs an extension"):
        media_names.unguessable_name("original_images/map")


class MemoryStorage(Storage):
    """The smallest storage a mixin can sit on, standing in for object storage backends."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def _save(self, name: str, content: Any) -> str:
        self.files[name] = content.read()
        return name

    def exists(self, name: str) -> bool:
        return name in self.files


def test_the_mixin_names_files_on_any_storage() -> None:
    storage = type("Named", (media_names.UnguessableImageNames, MemoryStorage), {})()

    name = storage.save("images/story-9-map.width-640.jpg", ContentFile(b"jpeg"))

    assert re.fullmatch(rf"images/{TOKEN}\.jpg", name)
    assert storage.files[name] == b"jpeg"


def test_the_site_stores_media_through_the_naming_storage() -> None:
    assert isinstance(storages["default"], media_names.UnguessableFileSystemStorage)


def test_the_s3_storage_names_files_the_same_way_or_says_what_is_missing() -> None:
    try:
        import storages.backends.s3 as s3
    except ImportError:
        with pytest.raises(ImproperlyConfigured, match=r"pip install -e '\.\[s3\]'"):
            _ = media_names.UnguessableS3Storage
    else:
        storage_class = media_names.UnguessableS3Storage
        assert issubclass(storage_class, s3.S3Storage)
        assert storage_class.__mro__[1] is media_names.UnguessableImageNames
