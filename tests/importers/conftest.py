"""Fixtures for the import tests: a small publication and the old site's uploads folder."""

from __future__ import annotations

import io
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from PIL import Image as PILImage

from tests.builders import make_publication
from tests.live.harness import free_port

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


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output readable
        pass


@pytest.fixture
def old_ghost_site(tmp_path):
    """The old Ghost site's /content/images/ served on 127.0.0.1, as downloads would find it."""
    images = tmp_path / "site" / "content" / "images"
    (images / "2021" / "03").mkdir(parents=True)
    (images / "2024" / "05").mkdir(parents=True)
    (images / "2021" / "03" / "harbour.jpg").write_bytes(jpeg((10, 120, 200)))
    (images / "2024" / "05" / "council.jpg").write_bytes(jpeg((200, 120, 10)))
    (tmp_path / "site" / "content" / "images" / "not-a-picture.jpg").write_text("<html>nope</html>")
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Quiet, directory=str(tmp_path / "site")))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()
