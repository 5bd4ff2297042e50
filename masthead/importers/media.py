"""Pictures for imported stories: from the old site's uploads folder or downloaded, each kept once.

A picture is looked for in `--media-dir` first (the path after `uploads/`, then the file name),
then downloaded from the old site when allowed: http(s) only, a bounded timeout, a size limit,
and only files Pillow reads as an image. The same picture under two addresses is stored once
(keyed by the SHA-256 of its bytes). A picture that cannot be had is a warning, never fatal.
"""

from __future__ import annotations

import hashlib
import io
import os
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.core.files.images import ImageFile
from PIL import Image as PILImage

from masthead.importers.models import ImportedItem
from masthead.importers.records import ImportOptions
from masthead.importers.report import Report

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 10
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


class _NoRedirectToOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        if urlsplit(newurl).scheme not in ("http", "https"):
            return None
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_NoRedirectToOtherSchemes)


class MediaLibrary:
    def __init__(self, *, source: str, options: ImportOptions, report: Report) -> None:
        self.source = source
        self.options = options
        self.report = report
        self._by_url: dict[str, Any] = {}
        self._index: dict[str, Path] | None = None

    def forget(self) -> None:
        """After a rollback: pictures kept in memory may no longer exist."""
        self._by_url.clear()

    # Finding the bytes ------------------------------------------------------------------------
    def _local(self, url: str) -> bytes | None:
        if not self.options.media_dir:
            return None
        root = Path(self.options.media_dir)
        path = unquote(urlsplit(url).path)
        relative = path.split("/uploads/", 1)[1] if "/uploads/" in path else path.lstrip("/")
        candidate = (root / relative).resolve()
        if root.resolve() in candidate.parents and candidate.is_file():
            return candidate.read_bytes()
        if self._index is None:  # by file name, for exports whose folder layout differs
            self._index = {}
            for dirpath, _dirs, files in os.walk(root):
                for name in files:
                    self._index.setdefault(name, Path(dirpath) / name)
        found = self._index.get(os.path.basename(path))
        return found.read_bytes() if found else None

    def _download(self, url: str) -> tuple[bytes | None, str]:
        if not self.options.download:
            return None, "not in the media folder (downloads are off)"
        if urlsplit(url).scheme not in ("http", "https"):
            return None, "not an http(s) address"
        request = urllib.request.Request(url, headers={"User-Agent": "Masthead importer"})  # noqa: S310
        try:
            with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                kind = response.headers.get("Content-Type", "")
                if not kind.startswith("image/"):
                    return None, f"not an image ({kind or 'no content type'})"
                data = response.read(MAX_BYTES + 1)
        except (OSError, ValueError) as exc:
            return None, f"could not be downloaded ({exc.__class__.__name__}: {exc})"
        if len(data) > MAX_BYTES:
            return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB"
        return data, ""

    # Keeping it once --------------------------------------------------------------------------
    def image_for(self, url: str, *, source_id: str, title: str = "") -> Any:
        """The Wagtail image for `url`, or None (with a warning) when it cannot be had."""
        from wagtail.images.models import Image

        if not url:
            return None
        if url.startswith("/") and self.options.old_site:
            url = urljoin(self.options.old_site, url)
        if url in self._by_url:
            return self._by_url[url]
        data = self._local(url)
        why = ""
        if data is None and self.options.dry_run:
            why = "not in the media folder" if not self.options.download else ""
            self._by_url[url] = None
            if why:
                self.report.warn(source_id, f"missing media {url}: {why}")
            return None
        if data is None:
            data, why = self._download(url)
        if data is None:
            self.report.warn(source_id, f"missing media {url}: {why}")
            self._by_url[url] = None
            return None
        try:
            with PILImage.open(io.BytesIO(data)) as probe:
                extension = IMAGE_FORMATS.get(probe.format or "")
                probe.verify()
        except Exception:
            extension = None
        if extension is None:
            self.report.warn(source_id, f"missing media {url}: not a picture Masthead can show")
            self._by_url[url] = None
            return None
        digest = hashlib.sha256(data).hexdigest()
        item = ImportedItem.objects.filter(source=self.source, kind="image", source_id=digest).first()
        image = Image.objects.filter(pk=int(item.object_id)).first() if item and item.object_id else None
        if image is None:
            name = os.path.basename(urlsplit(url).path) or f"{digest[:12]}.{extension}"
            image = Image(title=(title or os.path.splitext(name)[0])[:255])
            image.file = ImageFile(io.BytesIO(data), name=name)
            image.save()
            ImportedItem.objects.update_or_create(
                source=self.source, kind="image", source_id=digest, defaults={"object_id": str(image.pk)}
            )
            self.report.created("image")
        else:
            self.report.skipped("image")
        self._by_url[url] = image
        return image
