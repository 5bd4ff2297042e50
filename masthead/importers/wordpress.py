"""WordPress WXR 1.2 (eXtended RSS) → plain records, read as a stream.

Two passes over the file, both streaming: the first keeps only what posts point at (authors,
categories, attachment addresses), the second yields one post or page at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from masthead.importers.records import AuthorRecord, ItemRecord, TermRecord
from masthead.importers.safe_xml import iter_elements

SOURCE = "wordpress"
STATUSES = {
    "publish": "publish",
    "draft": "draft",
    "pending": "draft",
    "auto-draft": "draft",
    "future": "scheduled",
    "private": "private",
}
SUBTITLE_KEYS = {"subtitle", "_subtitle", "wps_subtitle", "dek", "_dek", "standfirst"}
KICKER_KEYS = {"kicker", "_kicker", "overline"}


@dataclass
class Channel:
    base_url: str = ""
    authors: dict[str, AuthorRecord] = field(default_factory=dict)
    attachments: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (url, caption)
    categories: dict[str, TermRecord] = field(default_factory=dict)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source id, why)


def _children(element: Any) -> dict[str, Any]:
    """Child elements by local name (the excerpt namespace differs between exporters)."""
    out: dict[str, Any] = {}
    for child in element:
        if isinstance(child.tag, str):
            qname = etree.QName(child)
            key = "excerpt" if "excerpt" in (qname.namespace or "") else qname.localname
            out.setdefault(key, child)
    return out


def _text(children: dict[str, Any], name: str) -> str:
    element = children.get(name)
    return (element.text or "").strip() if element is not None else ""


def _date(children: dict[str, Any]) -> datetime | None:
    gmt = _text(children, "post_date_gmt")
    if gmt and not gmt.startswith("0000"):
        return datetime.strptime(gmt, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    local = _text(children, "post_date")
    if local and not local.startswith("0000"):
        return datetime.strptime(local, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    pub = _text(children, "pubDate")
    if pub:
        try:
            return parsedate_to_datetime(pub)
        except (TypeError, ValueError):
            return None
    return None


def _path(url: str) -> str:
    parts = urlsplit(url)
    if not parts.path and not parts.query:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def read_channel(path: str) -> Channel:
    channel = Channel()
    for name, element in iter_elements(path, tags=("author", "category", "item", "base_blog_url")):
        if name == "base_blog_url":
            channel.base_url = (element.text or "").strip().rstrip("/")
        elif name == "author" and element.getparent() is not None and etree.QName(element).namespace:
            c = _children(element)
            login = _text(c, "author_login")
            if login:
                channel.authors[login] = AuthorRecord(
                    source_id=login, name=_text(c, "author_display_name") or login, slug=login
                )
        elif name == "category" and len(element):  # the channel's <wp:category>, not an item's
            c = _children(element)
            slug = _text(c, "category_nicename")
            channel.categories[slug] = TermRecord(slug, _text(c, "cat_name") or slug, slug)
        elif name == "item":
            c = _children(element)
            if _text(c, "post_type") == "attachment":
                url = _text(c, "attachment_url") or _text(c, "guid")
                channel.attachments[_text(c, "post_id")] = (url, _text(c, "excerpt"))
    return channel


def read_items(path: str, channel: Channel) -> Iterator[ItemRecord]:
    for _name, element in iter_elements(path, tags=("item",)):
        c = _children(element)
        post_type = _text(c, "post_type")
        post_id = _text(c, "post_id")
        if post_type not in ("post", "page"):
            continue
        status = STATUSES.get(_text(c, "status"))
        if status is None:
            channel.skipped.append((post_id, f"status {_text(c, 'status')!r} is not imported"))
            continue
        yield _record(element, c, post_type, post_id, status, channel)


def _record(
    element: Any, c: dict[str, Any], post_type: str, post_id: str, status: str, channel: Channel
) -> ItemRecord:
    meta: dict[str, str] = {}
    sections: list[TermRecord] = []
    topics: list[TermRecord] = []
    comments = 0
    for child in element:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "postmeta":
            m = _children(child)
            meta[_text(m, "meta_key")] = _text(m, "meta_value")
        elif local == "category":
            slug, name = child.get("nicename") or "", (child.text or "").strip()
            if child.get("domain") == "category":
                known = channel.categories.get(slug)
                sections.append(known or TermRecord(slug, name or slug, slug))
            elif child.get("domain") == "post_tag":
                topics.append(TermRecord(slug, name or slug, slug))
        elif local == "comment":
            comments += 1
    creator = _text(c, "creator")
    author = channel.authors.get(creator) or (AuthorRecord(creator, creator, creator) if creator else None)
    feature_url, feature_caption = channel.attachments.get(meta.get("_thumbnail_id", ""), ("", ""))
    old_paths = [p for p in (_path(_text(c, "link")),) if p and p != "/"]
    old_paths.append(f"/?p={post_id}" if post_type == "post" else f"/?page_id={post_id}")
    return ItemRecord(
        source=SOURCE,
        source_id=post_id,
        kind="article" if post_type == "post" else "page",
        title=_text(c, "title") or f"Untitled {post_id}",
        slug=_text(c, "post_name"),
        html=_text(c, "encoded"),
        status=status,
        published_at=_date(c),
        excerpt=_text(c, "excerpt"),
        subtitle=next((meta[k] for k in SUBTITLE_KEYS if meta.get(k)), ""),
        kicker=next((meta[k] for k in KICKER_KEYS if meta.get(k)), ""),
        sticky=_text(c, "is_sticky") == "1",
        sections=sections,
        topics=topics,
        authors=[author] if author else [],
        feature_image=feature_url,
        feature_caption=feature_caption,
        old_paths=old_paths,
        comment_count=comments,
    )


def count_items(path: str) -> int:
    return sum(
        1
        for _n, element in iter_elements(path, tags=("post_type",))
        if (element.text or "").strip() in ("post", "page")
    )


def import_wordpress(path: str, *, options: Any, report: Any, progress: Any = None) -> Any:
    from masthead.importers.writer import Writer

    channel = read_channel(path)
    if not options.old_site:
        options.old_site = channel.base_url
    writer = Writer(source=SOURCE, options=options, report=report, progress=progress)
    writer.run(read_items(path, channel))
    for source_id, why in channel.skipped:
        report.warn(source_id, why)
        report.skipped("article")
    return report
