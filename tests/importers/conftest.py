"""Fixtures for the import tests: a small publication and the old site's uploads folder."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from PIL import Image as PILImage

from tests.builders import make_publication

FIXTURES = Path(__file__).parent / "fixtures"
WXR = FIXTURES / "wordpress-theme-unit-test.xml"


@pytest.fixture(autouse=True)
def _cold_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pub(db: Any) -> Any:
    return make_publication(("Politics", "Business"))


def jpeg(colour: tuple[int, int, int], size: tuple[int, int] = (640, 400)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """The old site's uploads folder with the featured pictures of the theme unit test posts."""
    folder = tmp_path / "uploads"
    (folder / "2013" / "03").mkdir(parents=True)
    for name, colour in [
        ("featured-image-horizontal.jpg", (200, 40, 40)),
        ("featured-image-vertical.jpg", (40, 200, 40)),
        ("soworthloving-wallpaper.jpg", (40, 40, 200)),
    ]:
        (folder / "2013" / "03" / name).write_bytes(jpeg(colour))
    return folder


def run_import(command: str, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    text = out.getvalue()
    return text, text.strip().splitlines()[-1]
