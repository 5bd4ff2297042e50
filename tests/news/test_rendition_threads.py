"""Threads of one worker asking one shared image for renditions nobody has made yet.

A worker hands the same routed article, and so the same hero `Image` object, to all its threads
(`masthead.news.routing`). Here eight threads ask one such object for the same new sizes at the
same moment, as eight first readers of a breaking story would. The photo is read from a storage
whose reads are slow (a busy disk, object storage), which is what makes threads overlap on every
run: the file handle each read goes through is recorded.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.files import File
from django.core.files.images import ImageFile
from django.core.files.storage import FileSystemStorage
from django.db import connection
from PIL import Image as PILImage
from wagtail.images.models import Image

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
NEW_SPECS = ("width-320", "width-720", "fill-300x200")


class WatchedHandle:
    """An open file that notes which threads read it, each read taking a little while."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.readers: set[int] = set()

    def read(self, *args: Any) -> bytes:
        self.readers.add(threading.get_ident())
        time.sleep(0.002)
        return self._raw.read(*args)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class WatchedFile(File):
    def __init__(self, path: str, handles: list[WatchedHandle]) -> None:
        self._handles = handles
        super().__init__(self._watch(open(path, "rb")), name=path)  # noqa: SIM115

    def _watch(self, raw: Any) -> WatchedHandle:
        handle = WatchedHandle(raw)
        self._handles.append(handle)
        return handle

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> WatchedFile:
        if self.closed:  # reopened in place, as Django's File does: a new handle
            self.file = self._watch(open(self.name, mode or "rb"))  # noqa: SIM115
        else:
            self.seek(0)
        return self


@pytest.fixture
def handles(monkeypatch: pytest.MonkeyPatch) -> list[WatchedHandle]:
    opened: list[WatchedHandle] = []

    def watched_open(storage: FileSystemStorage, name: str, mode: str = "rb") -> File:
        if "r" in mode and "+" not in mode:
            return WatchedFile(storage.path(name), opened)
        return File(open(storage.path(name), mode))

    monkeypatch.setattr(FileSystemStorage, "_open", watched_open)
    return opened


@pytest.fixture
def photo(wagtail_roots: None) -> Image:
    """A fresh 1600 px photo with a photo's grain (so it decodes in many reads, like one)."""
    grain = PILImage.effect_noise((1600, 900), 48)
    buffer = io.BytesIO()
    PILImage.merge("RGB", (grain, grain.rotate(180), grain)).save(buffer, format="JPEG", quality=88)
    return Image.objects.create(title="Breaking", file=ImageFile(buffer, name="breaking.jpg"))


@pytest.fixture
def shared(photo: Image) -> Image:
    """The one image object a worker's threads share, as the routed article's hero."""
    return Image.objects.get(pk=photo.pk)


def at_once(view: Callable[[], dict[str, Any]]) -> tuple[list[dict[str, Any]], list[BaseException]]:
    start = threading.Barrier(THREADS, timeout=30)
    errors: list[BaseException] = []

    def one(_: int) -> dict[str, Any]:
        start.wait()
        try:
            return view()
        except Exception as error:
            errors.append(error)
            return {}
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(one, range(THREADS))), errors


def assert_every_reader_got_the_photo(results: list[dict[str, Any]], errors: list[BaseException]) -> None:
    assert errors == [], [repr(e) for e in errors]
    for renditions in results:
        assert set(renditions) == set(NEW_SPECS)
        for spec, rendition in renditions.items():
            with rendition.file.open("rb") as made, PILImage.open(made) as shown:
                shown.load()  # a truncated file fails here
                assert shown.size == (rendition.width, rendition.height), spec
    widths = {spec: r.width for spec, r in results[0].items()}
    assert widths == {"width-320": 320, "width-720": 720, "fill-300x200": 300}


def assert_no_handle_read_by_two_threads(handles: list[WatchedHandle]) -> None:
    assert handles, "the photo was never read: the sizes were not new"
    shared_handles = [len(h.readers) for h in handles if len(h.readers) > 1]
    assert shared_handles == [], f"{len(shared_handles)} file handles were read by several threads"


def test_one_size_at_a_time_as_json_ld_asks(shared: Image, handles: list[WatchedHandle]) -> None:
    results, errors = at_once(lambda: {spec: shared.get_rendition(spec) for spec in NEW_SPECS})

    assert_every_reader_got_the_photo(results, errors)
    assert_no_handle_read_by_two_threads(handles)
    assert shared.renditions.count() == len(NEW_SPECS)


def test_all_sizes_at_once_as_srcset_asks(shared: Image, handles: list[WatchedHandle]) -> None:
    results, errors = at_once(lambda: shared.get_renditions(*NEW_SPECS))

    assert_every_reader_got_the_photo(results, errors)
    assert_no_handle_read_by_two_threads(handles)
    assert shared.renditions.count() == len(NEW_SPECS)


def test_a_photo_made_by_another_thread_while_waiting_is_not_made_again(
    shared: Image, handles: list[WatchedHandle]
) -> None:
    results, errors = at_once(lambda: {"width-320": shared.get_rendition("width-320")})

    assert errors == []
    # The first thread reads the photo; the seven that waited for it find its rendition.
    assert len(handles) == 1
    assert len({r["width-320"].file.name for r in results}) == 1
