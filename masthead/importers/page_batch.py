"""Write the new stories of one chunk of an import together, as Wagtail would write them one by one.

A story written through `add_child`, `save_revision` and `publish` costs about 300 queries (tree
path, validation queries for every foreign key, the revision, the publish, three saves each with
its signals). For a story that is new to the site the outcome is known in advance, so here it is
written directly, for a whole chunk of stories under their parents:

- tree paths computed once per parent (treebeard's materialised path: the next free steps after
  the parent's last child), the parent's child count raised once;
- the `Page` rows in one bulk insert, then the article (or standing page) rows, the bylines;
- one revision per page (its content serialised as `save_revision` does), and the page pointing
  at it as its latest and, when published, its live revision; the same "edited" and "published"
  entries in the page history as an editor's publish leaves;
- the reference index (what the admin's "usage" counts read) and the search index, in bulk.

Reader-facing consequences of a publish (a new content generation, renditions of the photos,
section links) are not run per page: the writer runs them once at the end of the import.
The caller holds the transaction; anything that fails here rolls back the whole batch, and the
caller writes its stories one by one instead.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import F
from django.utils import timezone
from modelsearch.index import get_search_backends_with_name
from wagtail.models import Locale, Page, PageLogEntry, ReferenceIndex, Revision


@dataclass
class NewPage:
    """A page to add under `parent`: `page` is an unsaved specific page with its fields set."""

    parent: Any
    page: Any
    publish: bool
    published_at: datetime | None
    children: dict[str, list[Any]] = field(default_factory=dict)  # child relation → unsaved rows


def _next_steps(parent: Any, count: int) -> list[str]:
    """The paths of `count` new last children of `parent` (what `add_child` would give each)."""
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path")
    last_path = last.values_list("path", flat=True).first()
    start = Page._str2int(last_path[-Page.steplen :]) if last_path else 0
    return [Page._get_path(parent.path, parent.depth + 1, start + n) for n in range(1, count + 1)]


def _insert_specific(model: type, pages: list[Any]) -> None:
    """The rows of the page model's own table (Django's bulk_create refuses multi-table models)."""
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start : start + size], fields=fields, using="default")


def write_new_pages(new: list[NewPage], *, now: datetime | None = None) -> list[Any]:
    """Insert the pages with their revision, history and indexes; returns the specific pages."""
    if not new:
        return []
    now = now or timezone.now()
    page_type = ContentType.objects.get_for_model(Page)
    by_parent: dict[int, list[NewPage]] = defaultdict(list)
    for item in new:
        by_parent[item.parent.pk].append(item)
    locale_id = Locale.get_default().pk

    # 1. Tree positions, addresses and the Page rows.
    for items in by_parent.values():
        parent = items[0].parent
        for item, path in zip(items, _next_steps(parent, len(items)), strict=True):
            page = item.page
            page.path, page.depth, page.numchild = path, parent.depth + 1, 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.content_type = ContentType.objects.get_for_model(type(page))
            page.locale_id = page.locale_id or parent.locale_id or locale_id
            page.translation_key = page.translation_key or uuid.uuid4()
            page.draft_title = page.title
            page.live = item.publish
            page.has_unpublished_changes = not item.publish
            page.latest_revision_created_at = now
            if item.publish:
                page.first_published_at = item.published_at or now
                page.last_published_at = now
            page._cached_parent_obj = parent
    pages = [item.page for item in new]
    Page.objects.bulk_create(pages)  # the specific instances fill the Page columns
    for parent_pk, items in by_parent.items():
        Page.objects.filter(pk=parent_pk).update(numchild=F("numchild") + len(items))
        items[0].parent.numchild += len(items)

    # 2. The specific rows, then child rows (bylines) now that the pages have ids.
    by_model: dict[type, list[Any]] = defaultdict(list)
    for page in pages:
        page.page_ptr_id = page.id
        page._state.adding, page._state.db = False, "default"
        by_model[type(page)].append(page)
    for model, group in by_model.items():
        _insert_specific(model, group)
    _write_children(new)

    # 3. One revision each, as save_revision would serialise it; the page points at it.
    revisions = [
        Revision(
            content_type=ContentType.objects.get_for_model(type(page)),
            base_content_type=page_type,
            object_id=str(page.pk),
            content=page.serializable_data(),
            object_str=str(page)[:255],
            created_at=now,
        )
        for page in pages
    ]
    Revision.objects.bulk_create(revisions)
    for item, revision in zip(new, revisions, strict=True):
        item.page.latest_revision = revision
        item.page.live_revision = revision if item.publish else None
    Page.objects.bulk_update(pages, ["latest_revision", "live_revision"])

    # 4. The page history, the reference index and the search index.
    _log(new, revisions, now=now)
    index_references(pages)
    for model, group in by_model.items():
        for _name, backend in get_search_backends_with_name(with_auto_update=True):
            backend.add_bulk(model, group)
    return pages


def _write_children(new: list[NewPage]) -> None:
    rows_by_model: dict[type, list[Any]] = defaultdict(list)
    for item in new:
        for relation, rows in item.children.items():
            key = type(item.page)._meta.get_field(relation).field.attname  # the ParentalKey
            for row in rows:
                setattr(row, key, item.page.pk)
                rows_by_model[type(row)].append(row)
    for model, rows in rows_by_model.items():
        model.objects.bulk_create(rows)
    for item in new:
        # modelcluster keeps the rows in memory: the revision serialises them with their ids,
        # and no query is made for relations a new page cannot have yet (admin comments).
        item.page.wagtail_admin_comments = []
        for relation, rows in item.children.items():
            setattr(item.page, relation, rows)


def _log(new: list[NewPage], revisions: list[Revision], *, now: datetime) -> None:
    entries = []
    for item, revision in zip(new, revisions, strict=True):
        page = item.page
        base = {
            "content_type": ContentType.objects.get_for_model(type(page)),
            "label": str(page)[:255],
            "page_id": page.pk,
            "revision": revision,
            "timestamp": now,
            "content_changed": True,
        }
        entries.append(PageLogEntry(action="wagtail.edit", uuid=uuid.uuid4(), data={}, **base))
        if item.publish:
            entries.append(PageLogEntry(action="wagtail.publish", uuid=uuid.uuid4(), data={}, **base))
    PageLogEntry.objects.bulk_create(entries)


def index_references(objects: list[Any]) -> None:
    """What `ReferenceIndex.create_or_update_for_object` records for new objects (nothing to
    compare with yet), for many at once: the admin's "usage" of an author, a topic, a picture."""
    rows = []
    for obj in objects:
        types = [ContentType.objects.get_for_model(m) for m in (type(obj), *obj._meta.get_parent_list())]
        for to_type, to_id, model_path, content_path in set(
            ReferenceIndex._extract_references_from_object(obj)
        ):
            rows.append(
                ReferenceIndex(
                    content_type=types[0],
                    base_content_type=types[-1],
                    object_id=obj.pk,
                    to_content_type_id=to_type,
                    to_object_id=to_id,
                    model_path=model_path,
                    content_path=content_path,
                    content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
                )
            )
    ReferenceIndex.objects.bulk_create(rows, ignore_conflicts=connection.features.supports_ignore_conflicts)
