"""Ghost JSON exports (4.x and 5.x) → plain records: posts and pages, tags, authors, visibility."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from masthead.importers.errors import BadExport
from masthead.importers.ghost_content import lexical_to_html, mobiledoc_to_html
from masthead.importers.records import AuthorRecord, ImportOptions, ItemRecord, TermRecord
from masthead.importers.report import Report

SOURCE = "ghost"
# Ghost's visibility → Masthead's access level (masthead.news.models.AccessLevel).
VISIBILITY = {"public": "free", "members": "registered", "paid": "subscribers", "tiers": "subscribers"}
STATUSES = {"published": "publish", "draft": "draft", "scheduled": "scheduled", "sent": "private"}


def load_export(path: str) -> dict[str, Any]:
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadExport(line, f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadExport(exc.lineno, exc.msg) from exc
    if isinstance(doc, dict) and isinstance(doc.get("db"), list) and doc["db"]:
        doc = doc["db"][0]
    data = doc.get("data") if isinstance(doc, dict) else None
    if not isinstance(data, dict) or "posts" not in data:
        raise BadExport(1, "not a Ghost export: no db[0].data.posts")
    return data


def _date(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, int | float):
        from datetime import UTC

        return datetime.fromtimestamp(value / 1000, tz=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _body_html(post: dict[str, Any], notes: list[str], old_site: str) -> str:
    html = post.get("html") or ""
    if not html and post.get("lexical"):
        html = lexical_to_html(post["lexical"], notes)
    elif not html and post.get("mobiledoc"):
        html = mobiledoc_to_html(post["mobiledoc"], notes)
    return html.replace("__GHOST_URL__", old_site.rstrip("/"))


def read_posts(data: dict[str, Any], options: ImportOptions, report: Report) -> Iterator[ItemRecord]:
    tags = {t["id"]: t for t in data.get("tags", [])}
    users = {u["id"]: u for u in data.get("users", [])}
    meta = {m["post_id"]: m for m in data.get("posts_meta", []) if "post_id" in m}
    post_tags: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in data.get("posts_tags", []):
        post_tags[row["post_id"]].append((row.get("sort_order") or 0, row["tag_id"]))
    post_authors: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in data.get("posts_authors", []):
        post_authors[row["post_id"]].append((row.get("sort_order") or 0, row["author_id"]))

    for post in data["posts"]:
        post_id = str(post.get("id"))
        try:
            yield _record(post, tags, users, meta, post_tags, post_authors, options, report)
        except (KeyError, TypeError, ValueError) as exc:
            report.warn(post_id, f"not imported: unreadable post ({exc.__class__.__name__}: {exc})")
            report.skipped("article")


def _record(
    post: dict[str, Any],
    tags: dict[str, Any],
    users: dict[str, Any],
    meta: dict[str, Any],
    post_tags: dict[str, list[tuple[int, str]]],
    post_authors: dict[str, list[tuple[int, str]]],
    options: ImportOptions,
    report: Report,
) -> ItemRecord:
    post_id = str(post["id"])
    kind = "page" if post.get("type") == "page" or post.get("page") in (1, True) else "article"
    notes: list[str] = []
    html = _body_html(post, notes, options.old_site)
    for note in notes:
        report.warn(post_id, note)
    terms = [
        TermRecord(tags[t]["slug"], tags[t]["name"], tags[t]["slug"])
        for _order, t in sorted(post_tags.get(post["id"], []))
        if t in tags and not str(tags[t]["name"]).startswith("#")  # "#internal" tags are Ghost's own
    ]
    author_ids = [a for _order, a in sorted(post_authors.get(post["id"], []))] or [post.get("author_id")]
    authors = [
        AuthorRecord(
            str(users[a]["id"]), users[a]["name"], users[a].get("slug", ""), users[a].get("bio") or ""
        )
        for a in author_ids
        if a in users
    ]
    visibility = post.get("visibility") or "public"
    access = VISIBILITY.get(visibility)
    if access is None:
        report.warn(post_id, f"unmapped visibility {visibility!r}: imported for subscribers only")
        access = "subscribers"
    elif visibility == "tiers":
        report.warn(
            post_id, "visible to some tiers in Ghost: imported for subscribers only (Masthead has one tier)"
        )
    status = STATUSES.get(post.get("status") or "draft", "draft")
    if post.get("status") == "sent":
        report.warn(post_id, "sent by e-mail only in Ghost: imported as a draft")
    extra = meta.get(post["id"], {})
    feature = (post.get("feature_image") or "").replace("__GHOST_URL__", options.old_site.rstrip("/"))
    return ItemRecord(
        source=SOURCE,
        source_id=post_id,
        kind=kind,
        title=post.get("title") or f"Untitled {post_id}",
        slug=post.get("slug") or "",
        html=html,
        status=status,
        published_at=_date(post.get("published_at")) or _date(post.get("created_at")),
        excerpt=post.get("custom_excerpt") or "",
        access=access if kind == "article" else "",
        sticky=bool(post.get("featured")),
        sections=terms[:1],
        topics=terms,
        authors=authors,
        feature_image=feature,
        feature_caption=post.get("feature_image_caption") or extra.get("feature_image_caption") or "",
        old_paths=[f"/{post['slug']}/"] if post.get("slug") else [],
    )


def import_ghost(path: str, *, options: ImportOptions, report: Report, progress: Any = None) -> Report:
    from masthead.importers.writer import Writer

    data = load_export(path)
    writer = Writer(source=SOURCE, options=options, report=report, progress=progress)
    writer.run(read_posts(data, options, report))
    return report
