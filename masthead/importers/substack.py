"""Substack exports → plain records: posts.csv plus posts/<post_id>.html, from a folder or the zip."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from masthead.importers.errors import BadExport
from masthead.importers.records import ImportOptions, ItemRecord
from masthead.importers.report import Report

SOURCE = "substack"
AUDIENCE = {
    "everyone": "free",
    "only_free": "registered",
    "only_paid": "subscribers",
    "founding": "subscribers",
}
REQUIRED_COLUMNS = {"post_id", "post_date", "is_published", "type", "audience", "title"}
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # one post's HTML or a CSV inside the zip; more is not an export


class Export:
    """The files of an export, whether unpacked in a folder or still in the zip."""

    def __init__(
        self, root: Path | None = None, archive: zipfile.ZipFile | None = None, prefix: str = ""
    ) -> None:
        self.root, self.archive, self.prefix = root, archive, prefix

    def read(self, name: str) -> bytes | None:
        if self.archive is not None:
            try:
                info = self.archive.getinfo(self.prefix + name)
            except KeyError:
                return None
            if info.file_size > MAX_MEMBER_BYTES:
                raise BadExport(0, f"{name} in the zip is larger than {MAX_MEMBER_BYTES // 2**20} MB")
            return self.archive.read(info)
        assert self.root is not None
        path = self.root / name
        return path.read_bytes() if path.is_file() else None

    def names(self) -> list[str]:
        if self.archive is not None:
            return [n[len(self.prefix) :] for n in self.archive.namelist() if n.startswith(self.prefix)]
        assert self.root is not None
        return [str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()]


@contextmanager
def open_export(path: str) -> Iterator[Export]:
    target = Path(path)
    if target.is_dir():
        if not (target / "posts.csv").is_file():
            raise BadExport(0, f"{path} has no posts.csv: not a Substack export folder")
        yield Export(root=target)
        return
    if not zipfile.is_zipfile(target):
        raise BadExport(0, f"{path} is neither a folder nor a zip file")
    with zipfile.ZipFile(target) as archive:
        found = [n for n in archive.namelist() if PurePosixPath(n).name == "posts.csv"]
        if not found:
            raise BadExport(0, f"{path} has no posts.csv: not a Substack export")
        yield Export(archive=archive, prefix=found[0][: -len("posts.csv")])


def _date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def read_rows(export: Export) -> Iterator[tuple[int, dict[str, str]]]:
    raw = export.read("posts.csv") or b""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadExport(raw[: exc.start].count(b"\n") + 1, f"posts.csv is not UTF-8 ({exc.reason})") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = REQUIRED_COLUMNS - set(reader.fieldnames or [])
    if missing:
        raise BadExport(1, f"posts.csv lacks the column(s) {', '.join(sorted(missing))}")
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise BadExport(reader.line_num, f"posts.csv: {exc}") from exc


def read_posts(export: Export, options: ImportOptions, report: Report) -> Iterator[ItemRecord]:
    for line, row in read_rows(export):
        post_id = (row.get("post_id") or "").strip()
        if not post_id:
            report.warn(f"posts.csv line {line}", "no post_id: row skipped")
            report.skipped("article")
            continue
        kind = "page" if row.get("type") == "page" else "article"
        html_bytes = export.read(f"posts/{post_id}.html")
        if html_bytes is None:
            report.warn(post_id, f"posts/{post_id}.html is not in the export: not imported")
            report.skipped(kind)
            continue
        audience = (row.get("audience") or "everyone").strip()
        access = AUDIENCE.get(audience)
        if access is None:
            report.warn(post_id, f"unmapped audience {audience!r}: imported for subscribers only")
            access = "subscribers"
        html = html_bytes.decode("utf-8", errors="replace")
        if row.get("podcast_url"):
            url = row["podcast_url"].strip()
            html += f'<p><a href="{url}">{url}</a></p>'
            report.warn(post_id, "the podcast's audio is kept as a link (Masthead has no audio player)")
        slug = post_id.split(".", 1)[1] if "." in post_id else post_id
        try:
            published = _date(row.get("post_date", ""))
        except ValueError:
            report.warn(post_id, f"unreadable post_date {row.get('post_date')!r} (posts.csv line {line})")
            published = None
        yield ItemRecord(
            source=SOURCE,
            source_id=post_id,
            kind=kind,
            title=(row.get("title") or "").strip() or f"Untitled {post_id}",
            slug=slug,
            html=html,
            status="publish" if (row.get("is_published") or "").strip().lower() == "true" else "draft",
            published_at=published,
            excerpt=(row.get("subtitle") or "").strip(),
            access=access if kind == "article" else "",
            old_paths=[f"/p/{slug}"] if kind == "article" else [f"/{slug}"],
        )


def members_csv(export: Export) -> str | None:
    """The e-mail list CSV of the export (email_list.<publication>.csv), if it has one."""
    for name in export.names():
        base = PurePosixPath(name).name
        if base.startswith("email_list") and base.endswith(".csv"):
            return name
    return None


def import_substack(path: str, *, options: ImportOptions, report: Report, progress: Any = None) -> Report:
    from masthead.importers.writer import Writer

    with open_export(path) as export:
        writer = Writer(source=SOURCE, options=options, report=report, progress=progress)
        writer.run(read_posts(export, options, report))
    return report
