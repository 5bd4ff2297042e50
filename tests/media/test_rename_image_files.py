"""`manage.py rename_image_files`: a site upgraded with photos under guessable names gets random ones."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.test import Client
from wagtail.images.models import Image

pytestmark = pytest.mark.django_db

TOKEN = r"[0-9a-f]{32}"


def as_an_older_release_stored_it(photo: Image, old_name: str) -> None:
    """Move the photo's file to the name an older release gave it (plain storage keeps names)."""
    plain = FileSystemStorage()
    with photo.file.open("rb") as current:
        stored = plain.save(old_name, ContentFile(current.read()))
    photo.file.storage.delete(photo.file.name)
    Image.objects.filter(pk=photo.pk).update(file=stored)


def rename() -> str:
    out = io.StringIO()
    call_command("rename_image_files", stdout=out)
    return out.getvalue()


def test_old_names_are_replaced_and_their_urls_stop_answering(pub: Any, uploaded_photos: Any) -> None:
    photo = uploaded_photos("story-old-map.jpg")
    as_an_older_release_stored_it(photo, "original_images/story-old-map.jpg")
    old_rendition = Image.objects.get(pk=photo.pk).get_rendition("width-640")
    rendition_plain_name = "images/story-old-map.width-640.jpg"
    FileSystemStorage().save(rendition_plain_name, ContentFile(b"old rendition"))
    old_rendition.file.storage.delete(old_rendition.file.name)
    type(old_rendition).objects.filter(pk=old_rendition.pk).update(file=rendition_plain_name)
    client = Client()
    assert client.get("/media/original_images/story-old-map.jpg").status_code == 200

    report = rename()

    assert "Renamed 1 original image file(s); removed 1 rendition(s)" in report
    photo = Image.objects.get(pk=photo.pk)
    assert re.fullmatch(rf"original_images/{TOKEN}\.jpg", photo.file.name)
    assert client.get(photo.file.url).status_code == 200
    assert client.get("/media/original_images/story-old-map.jpg").status_code == 404
    assert client.get("/" + "media/" + rendition_plain_name).status_code == 404
    assert re.fullmatch(rf"images/{TOKEN}\.jpg", photo.get_rendition("width-640").file.name)
    assert "Renamed 0 original image file(s); removed 0 rendition(s)" in rename()
