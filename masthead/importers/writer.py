"""Write plain records into the newsroom, idempotently, one item per transaction.

Every object made is recorded in ImportedItem under (source, kind, source id). A second run finds
the record: an unchanged item (same checksum) is skipped, an edited one becomes a new revision of
the same page, unless an editor has saved a revision since the import (then it is left alone and
listed, unless `overwrite`). An item that fails is reported and the run goes on; a run that stops
half way is simply run again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from modelsearch import index as search_index
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead.importers.body import Body, html_to_body, plain_text
from masthead.importers.media import MediaLibrary
from masthead.importers.models import ImportedItem
from masthead.importers.page_batch import NewPage, write_new_pages
from masthead.importers.records import AuthorRecord, ImportOptions, ItemRecord, TermRecord
from masthead.importers.report import Report
from masthead.news.renditions import specs_for_article

logger = logging.getLogger(__name__)

# Stories per transaction: small enough that an interrupted import loses little, large enough that
# the bulk writes pay off (measured in docs/importers.md).
CHUNK = 200
FEED_PATHS = ("/feed/", "/rss/", "/feed/rss/", "/feed/atom/", "/rss.xml", "/feed.xml")
VALIDATED = {"title", "slug", "standfirst", "hero_caption", "access", "intro", "body"}
PAGE_BLOCKS = {"paragraph", "heading", "image", "fact_box"}


class ImportError_(Exception):
    pass


@contextmanager
def search_index_once() -> Iterator[None]:
    """Index an imported page once, when written, not on each of its three saves.

    The search signal is disconnected for the two page types an import writes, for the duration of
    one item, in this process only (an import runs in a command or on the task worker, not among
    the site's web requests); the caller indexes the page itself before the item's transaction
    commits.
    """
    from modelsearch.signal_handlers import post_save_signal_handler

    from masthead.news.models import ArticlePage
    from masthead.pages.models import StandardPage

    senders = [
        m for m in (ArticlePage, StandardPage) if post_save.disconnect(post_save_signal_handler, sender=m)
    ]
    try:
        yield
    finally:
        for model in senders:
            post_save.connect(post_save_signal_handler, sender=model)


def _chunks(records: Iterable[ItemRecord], size: int) -> Iterator[list[ItemRecord]]:
    chunk: list[ItemRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _home() -> Any:
    from masthead.news.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        raise ImportError_("There is no front page yet: set up the publication before importing.")
    return home


class Writer:
    def __init__(
        self,
        *,
        source: str,
        options: ImportOptions,
        report: Report,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.options = options
        self.report = report
        self.media = MediaLibrary(source=source, options=options, report=report)
        self.progress = progress
        self._seen: set[tuple[str, str]] = set()  # (kind, source id) counted in this run
        self._home: Any = None
        # What is the same for many stories, looked up once per run (emptied after a rollback).
        self._sections: dict[tuple[str, ...], tuple[Any, str]] = {}
        self._topics: dict[str, Any] = {}
        self._authors: dict[str, Any] = {}
        self._slugs: dict[int, set[str]] = {}  # parent page pk → its children's slugs
        # Stories written together went live without Wagtail's publish: what it sets off runs once,
        # at the end, with the renditions their photos need (by image pk).
        self._went_live = False
        self._renditions: dict[int, set[str]] = {}

    @property
    def home(self) -> Any:
        if self._home is None:
            self._home = _home()
        return self._home

    # The run ----------------------------------------------------------------------------------
    def run(self, records: Iterable[ItemRecord]) -> Report:
        self.report.dry_run = self.options.dry_run
        done = 0
        for chunk in _chunks(records, CHUNK):
            if self.options.dry_run:
                for record in chunk:
                    self._write_one(record)
            else:
                # One transaction per chunk: an interrupted import keeps every finished chunk (and
                # their ImportedItem rows), and the next run skips those stories.
                with transaction.atomic():
                    self._write_chunk(chunk)
            if self.progress:
                for n in range(done + 1, done + len(chunk) + 1):
                    self.progress(n)
            done += len(chunk)
        self.feed_redirects()
        self.after_publishing()
        return self.report

    def _write_one(self, record: ItemRecord) -> None:
        """One story through Wagtail's own add, save-revision and publish (in a savepoint)."""
        try:
            # Wagtail re-indexes a page's references on each of its saves (three per story
            # here); once per story, at its end, is the same index for a third of the work.
            with disable_reference_index_auto_update(), search_index_once(), transaction.atomic():
                page = self.item(record)
                if page is not None:
                    ReferenceIndex.create_or_update_for_object(page)
                    search_index.insert_or_update_object(page)
        except ImportError_:
            raise
        except Exception as exc:
            self._not_imported(record, exc)

    def _write_chunk(self, chunk: list[ItemRecord]) -> None:
        """Stories new to the site are written together; the others one by one."""
        known = {
            (item.kind, item.source_id): item
            for item in ImportedItem.objects.filter(
                source=self.source,
                kind__in={r.kind for r in chunk},
                source_id__in=[r.source_id for r in chunk],
            )
        }
        unchanged = [
            r
            for r in chunk
            if (r.kind, r.source_id) in known and known[r.kind, r.source_id].checksum == r.checksum()
        ]
        fresh = [r for r in chunk if (r.kind, r.source_id) not in known and self._can_batch(r)]
        handled = {id(r) for r in self._skip_unchanged(unchanged, known)}
        handled |= {id(r) for r in self._write_together(fresh)}
        for record in chunk:
            if id(record) not in handled:
                self._write_one(record)

    def _skip_unchanged(
        self, records: list[ItemRecord], known: dict[tuple[str, str], Any]
    ) -> list[ItemRecord]:
        """Stories imported before and unchanged since, whose old addresses all still redirect to
        them (one query for the chunk); the others are looked at one by one."""
        from wagtail.contrib.redirects.models import Redirect

        olds = {id(r): [Redirect.normalise_path(p) for p in r.old_paths] for r in records}
        pointing = dict(
            Redirect.objects.filter(
                old_path__in=[old for paths in olds.values() for old in paths], site__isnull=True
            ).values_list("old_path", "redirect_page_id")
        )
        done = []
        for record in records:
            page_id = int(known[record.kind, record.source_id].object_id or 0)
            if not all(pointing.get(old) == page_id for old in olds[id(record)]):
                continue
            self.report.skipped(record.kind)
            for old in olds[id(record)]:
                if self._first_time("redirect", old):
                    self.report.skipped("redirect")
            done.append(record)
        return done

    def _can_batch(self, record: ItemRecord) -> bool:
        # A story scheduled for later, or one that may become the lead story, goes through
        # Wagtail's publish (which handles both); they are a handful in any export.
        if record.status == "scheduled" and record.published_at and record.published_at > timezone.now():
            return False
        return record.kind in ("article", "page") and not record.sticky

    def _write_together(self, records: list[ItemRecord]) -> list[ItemRecord]:
        """Write `records` (new to the site) in bulk; returns those done (written, or failed and
        reported). On any failure of the bulk write nothing of it is kept, and the stories it held
        are left for the caller to write one by one."""
        prepared: list[tuple[ItemRecord, NewPage]] = []
        failed: list[ItemRecord] = []
        warned_before = len(self.report.warnings)
        for record in records:
            try:
                with transaction.atomic():
                    prepared.append((record, self._prepare(record)))
            except ImportError_:
                raise
            except Exception as exc:
                self._not_imported(record, exc)
                failed.append(record)
        if not prepared:
            return failed
        try:
            with transaction.atomic():
                write_new_pages([new for _record, new in prepared])
                ImportedItem.objects.bulk_create(
                    [
                        ImportedItem(
                            source=self.source,
                            kind=record.kind,
                            source_id=record.source_id,
                            object_id=str(new.page.pk),
                            checksum=record.checksum(),
                        )
                        for record, new in prepared
                    ]
                )
                redirects = self._new_redirects(prepared)
        except ImportError_:
            raise
        except Exception:
            logger.exception("writing %d new stories together failed; writing them one by one", len(prepared))
            # Written one by one, they are warned about again (and their parents' child counts
            # held in memory are wrong after the rollback).
            retried = {record.source_id for record, _new in prepared}
            self.report.warnings[warned_before:] = [
                w for w in self.report.warnings[warned_before:] if w.source_id not in retried
            ]
            self._forget_cached()
            return failed
        for record, new in prepared:
            self.report.created(record.kind)
            if record.comment_count:
                note = f"{record.comment_count} comment(s) counted and not imported"
                self.report.warn(record.source_id, note)
            if record.status == "private":
                self.report.warn(record.source_id, "private in the source: imported as a draft, not public")
            if new.publish:
                self._went_live = True
                if record.kind == "article":
                    for image, specs in specs_for_article(new.page).items():
                        self._renditions.setdefault(image, set()).update(specs)
        for old, action in redirects:
            if self._first_time("redirect", old):
                self.report.count("redirect", action)
        return failed + [record for record, _new in prepared]

    def after_publishing(self) -> None:
        """What each publish would have set off, once for the whole import: readers see the new
        stories at once (a new content generation, the section list), and the photos' renditions
        are made before the first reader asks for them."""
        if not self._went_live:
            return
        from masthead.core.generation import new_generation
        from masthead.news.navigation import forget_section_links
        from masthead.news.renditions import make_renditions

        wanted, self._renditions, self._went_live = self._renditions, {}, False
        forget_section_links()
        new_generation()
        make_renditions(wanted)

    def _not_imported(self, record: Any, exc: Exception) -> None:
        """An item that failed is rolled back, reported by its source id and skipped; the rest go on."""
        self._forget_cached()
        self.report.warn(record.source_id, f"not imported: {exc.__class__.__name__}: {exc}")
        self.report.skipped(record.kind)

    def _forget_cached(self) -> None:
        """After a rollback: objects made in the rolled-back part may be gone."""
        self._home = None
        self._sections.clear()
        self._topics.clear()
        self._authors.clear()
        self._slugs.clear()
        self.media.forget()

    def _item(self, kind: str, source_id: str) -> ImportedItem | None:
        return ImportedItem.objects.filter(source=self.source, kind=kind, source_id=source_id).first()

    def _remember(self, kind: str, source_id: str, obj: Any, checksum: str = "") -> None:
        ImportedItem.objects.update_or_create(
            source=self.source,
            kind=kind,
            source_id=source_id,
            defaults={"object_id": str(obj.pk), "checksum": checksum},
        )

    def _first_time(self, kind: str, source_id: str) -> bool:
        key = (kind, source_id)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True

    # Sections, topics, authors ----------------------------------------------------------------
    def section_for(self, record: ItemRecord) -> tuple[Any, str]:
        key = tuple(term.slug for term in record.sections)
        if key not in self._sections:
            self._sections[key] = self._find_section(record)
        return self._sections[key]

    def _find_section(self, record: ItemRecord) -> tuple[Any, str]:
        """The section a story goes to, and the source term (if any) that chose it.

        A term names a section when a section with its slug exists or the publisher mapped it
        (`--map-section`); else `--section`; else WordPress categories become new sections, while
        Ghost's primary tag stays a topic and the story goes to an "Imported" section.
        """
        from masthead.news.models import SectionPage

        sections = SectionPage.objects.child_of(self.home)
        for term in record.sections:
            wanted = self.options.section_map.get(term.slug, term.slug)
            found = sections.filter(slug=wanted).first()
            if found is not None:
                return found, term.slug
        if self.options.section:
            found = sections.filter(slug=self.options.section).first()
            if found is None:
                raise ImportError_(f"No section with the slug {self.options.section!r}.")
            return found, ""
        term = None
        if self.source == "wordpress":
            term = next((t for t in record.sections if t.slug not in ("uncategorized", "")), None)
        if term is None:
            return self._new_section(TermRecord("imported", "Imported", "imported")), ""
        return self._new_section(term), term.slug

    def _new_section(self, term: TermRecord) -> Any:
        from masthead.news.models import SectionPage

        item = self._item("section", term.slug)
        found = SectionPage.objects.filter(pk=int(item.object_id)).first() if item else None
        # A section another import (or an editor) already made under this slug is used, not doubled.
        found = found or SectionPage.objects.child_of(self.home).filter(slug=slugify(term.slug)).first()
        if found is not None:
            if item is None and not self.options.dry_run:
                self._remember("section", term.slug, found)
            return found
        if self._first_time("section", term.slug):
            self.report.created("section")
        if self.options.dry_run:
            return None
        slug = self._free_slug(self.home, slugify(term.slug, allow_unicode=True) or "imported")
        section = SectionPage(title=term.name[:255], slug=slug)
        self.home.add_child(instance=section)
        section.save_revision().publish()
        self._remember("section", term.slug, section)
        return section

    def topic_for(self, term: TermRecord) -> Any:
        if term.slug not in self._topics:
            self._topics[term.slug] = self._find_topic(term)
        return self._topics[term.slug]

    def _find_topic(self, term: TermRecord) -> Any:
        from masthead.news.models import Topic

        item = self._item("topic", term.slug)
        topic = Topic.objects.filter(pk=int(item.object_id)).first() if item else None
        topic = (
            topic
            or Topic.objects.filter(slug=term.slug).first()
            or Topic.objects.filter(name=term.name).first()
        )
        if topic is not None:
            if self._first_time("topic", term.slug):
                self.report.skipped("topic")
            if item is None and not self.options.dry_run:
                self._remember("topic", term.slug, topic)
            return topic
        if self._first_time("topic", term.slug):
            self.report.created("topic")
        if self.options.dry_run:
            return None
        topic = Topic.objects.create(
            name=term.name[:80], slug=(slugify(term.slug, allow_unicode=True) or None)
        )
        self._remember("topic", term.slug, topic)
        return topic

    def author_for(self, record: AuthorRecord) -> Any:
        if record.source_id not in self._authors:
            self._authors[record.source_id] = self._find_author(record)
        return self._authors[record.source_id]

    def _find_author(self, record: AuthorRecord) -> Any:
        from masthead.news.models import Author

        item = self._item("author", record.source_id)
        author = Author.objects.filter(pk=int(item.object_id)).first() if item else None
        if author is not None:
            if self._first_time("author", record.source_id):
                self.report.skipped("author")
            return author
        if self._first_time("author", record.source_id):
            self.report.created("author")
        if self.options.dry_run:
            return None
        slug = slugify(record.slug or record.name, allow_unicode=True)[:100] or "author"
        base, n = slug, 2
        while Author.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        author = Author.objects.create(name=record.name[:120], slug=slug, bio=record.bio)
        self._remember("author", record.source_id, author)
        return author

    # Body and media ---------------------------------------------------------------------------
    def body_for(self, record: ItemRecord, *, allowed: set[str] | None = None) -> list[dict[str, Any]]:
        parsed: Body = html_to_body(record.html)
        for note in dict.fromkeys(parsed.notes):
            self.report.warn(record.source_id, note)
        blocks = []
        for block in parsed.blocks:
            if block["type"] == "image":
                value = block["value"]
                image = self.media.image_for(value["src"], source_id=record.source_id, title=value["alt"])
                if image is None:
                    continue
                block = {
                    "type": "image",
                    "value": {"image": image.pk, "caption": value["caption"], "credit": value["credit"]},
                }
            if allowed is not None and block["type"] not in allowed:
                if block["type"] == "pull_quote":
                    quote = block["value"]
                    block = {"type": "paragraph", "value": f"<p><i>{quote['quote']}</i></p>"}
                else:
                    continue
            blocks.append(block)
        return blocks

    # Pages ------------------------------------------------------------------------------------
    def _free_slug(self, parent: Any, slug: str, *, mine: Any = None) -> str:
        slug = (slug or "untitled")[:240]
        base, n = slug, 2
        siblings = parent.get_children()
        # Also the slugs given to stories of this chunk that are not written yet.
        pending = self._slugs.get(parent.pk, set()) if mine is None else set()
        while slug in pending or siblings.filter(slug=slug).exclude(pk=getattr(mine, "pk", None)).exists():
            slug, n = f"{base}-{n}", n + 1
        if parent.pk in self._slugs:
            self._slugs[parent.pk].add(slug)
        return slug

    def item(self, record: ItemRecord) -> Any:
        """Write one story or page; returns the page when it was written."""
        checksum = record.checksum()
        item = self._item(record.kind, record.source_id)
        page = None
        if item is not None:
            from wagtail.models import Page

            page = Page.objects.filter(pk=int(item.object_id)).first()
            page = page.specific if page is not None else None
        if page is not None and item is not None:
            if item.checksum == checksum:
                self.report.skipped(record.kind)
                self.redirects(record, page)
                return None
            latest = page.latest_revision
            if latest is not None and latest.user_id is not None and not self.options.overwrite:
                self.report.warn(
                    record.source_id,
                    "changed in the export but edited in Masthead since the import: left as the editor "
                    "saved it (run with --overwrite to replace it)",
                )
                self.report.skipped(record.kind)
                return None
        if record.comment_count:
            self.report.warn(record.source_id, f"{record.comment_count} comment(s) counted and not imported")
        if self.options.dry_run:
            self.report.count(record.kind, "created" if page is None else "updated")
            self._dry_run_details(record)
            return None
        page = self._write_page(record, page) if record.kind == "page" else self._write_article(record, page)
        self.report.count(record.kind, "created" if item is None or item.checksum == "" else "updated")
        self._remember(record.kind, record.source_id, page, checksum)
        self.redirects(record, page)
        return page

    def _dry_run_details(self, record: ItemRecord) -> None:
        if record.kind == "article":
            _section, section_term = self.section_for(record)
            for term in record.topics:
                if term.slug != section_term:
                    self.topic_for(term)
            for author in record.authors:
                self.author_for(author)
        self.body_for(record)
        self.media.image_for(record.feature_image, source_id=record.source_id)
        for path in record.old_paths:
            if self._first_time("redirect", path):
                self.report.created("redirect")

    def _standfirst(self, record: ItemRecord) -> str:
        text = record.excerpt or record.subtitle or plain_text(record.html, 300) or record.title
        return plain_text(f"<p>{text}</p>", 500) if "<" in text else text[:500]

    def _article_fields(self, record: ItemRecord) -> tuple[Any, dict[str, Any], list[Any]]:
        """The section a story goes to, its fields and its authors (topics, authors and pictures
        it needs are made on the way)."""
        section, section_term = self.section_for(record)
        topics = [t for t in record.topics if t.slug != section_term]  # the tag that chose the section
        kicker_term = (
            TermRecord(slugify(record.kicker), record.kicker, slugify(record.kicker) or "kicker")
            if record.kicker
            else (topics[0] if topics else None)
        )
        for term in topics[1:]:
            self.topic_for(term)
        kicker = self.topic_for(kicker_term) if kicker_term else None
        authors = [a for a in (self.author_for(r) for r in record.authors) if a is not None]
        hero = self.media.image_for(record.feature_image, source_id=record.source_id)
        fields: dict[str, Any] = {
            "title": record.title[:255],
            "standfirst": self._standfirst(record),
            "kicker": kicker,
            "hero_image": hero,
            "hero_caption": plain_text(f"<p>{record.feature_caption}</p>", 300)
            if record.feature_caption
            else "",
            "body": self.body_for(record),
        }
        if record.access:
            fields["access"] = record.access
        return section, fields, authors

    def _page_fields(self, record: ItemRecord) -> dict[str, Any]:
        return {
            "title": record.title[:255],
            "intro": record.excerpt or record.subtitle,
            "show_in_footer": False,  # the publisher decides which standing pages the footer lists
            "body": self.body_for(record, allowed=PAGE_BLOCKS),
        }

    def _prepare(self, record: ItemRecord) -> NewPage:
        """A story new to the site, ready to be written with the others of its chunk."""
        from masthead.news.models import ArticleByline, ArticlePage
        from masthead.pages.models import StandardPage

        children: dict[str, list[Any]] = {}
        if record.kind == "page":
            parent, fields = self.home, self._page_fields(record)
            page = StandardPage(**fields)
        else:
            parent, fields, authors = self._article_fields(record)
            page = ArticlePage(**fields)
            children["bylines"] = [
                ArticleByline(author=author, sort_order=order) for order, author in enumerate(authors)
            ]
        page.slug = self._new_slug(parent, slugify(record.slug or record.title, allow_unicode=True))
        # What Wagtail's save would validate in the story's own fields (the body's blocks
        # included); its foreign keys point at rows this run just found or made.
        page.clean_fields(exclude=[f.name for f in page._meta.fields if f.name not in VALIDATED])
        when, now = record.published_at, timezone.now()
        publish = record.status in ("publish", "scheduled")
        return NewPage(
            parent=parent,
            page=page,
            publish=publish,
            published_at=when if publish and when and when <= now else None,
            children=children,
        )

    def _new_slug(self, parent: Any, slug: str) -> str:
        """A slug no sibling has, without a query per try (the siblings' slugs are read once)."""
        taken = self._slugs.get(parent.pk)
        if taken is None:
            taken = self._slugs[parent.pk] = set(parent.get_children().values_list("slug", flat=True))
        slug = (slug or "untitled")[:240]
        base, n = slug, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        return slug

    def _write_article(self, record: ItemRecord, page: Any) -> Any:
        from masthead.news.models import ArticleByline, ArticlePage

        section, fields, authors = self._article_fields(record)
        if page is None:
            page = ArticlePage(
                slug=self._free_slug(section, slugify(record.slug or record.title, allow_unicode=True))
            )
            for name, value in fields.items():
                setattr(page, name, value)
            page.live = False
            section.add_child(instance=page)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        page.bylines.all().delete()
        for order, author in enumerate(authors):
            ArticleByline.objects.create(article=page, author=author, sort_order=order)
        self._save(page, record)
        if record.sticky and record.status == "publish":
            home = self.home
            if home.lead_story_id is None:
                home.lead_story = page
                home.save_revision().publish()
        return page

    def _write_page(self, record: ItemRecord, page: Any) -> Any:
        from masthead.pages.models import StandardPage

        fields = self._page_fields(record)
        if page is None:
            page = StandardPage(
                slug=self._free_slug(self.home, slugify(record.slug or record.title, allow_unicode=True))
            )
            for name, value in fields.items():
                setattr(page, name, value)
            page.live = False
            self.home.add_child(instance=page)
        else:
            for name, value in fields.items():
                setattr(page, name, value)
        self._save(page, record)
        return page

    def _save(self, page: Any, record: ItemRecord) -> None:
        when = record.published_at
        now = timezone.now()
        if record.status == "scheduled" and when and when > now:
            page.go_live_at = when
        if record.status in ("publish", "scheduled") and when and when <= now:
            page.first_published_at = when
        revision = page.save_revision(log_action=True)
        if record.status == "publish" or record.status == "scheduled":
            revision.publish()
            if when and when <= now:
                type(page).objects.filter(pk=page.pk).update(first_published_at=when)
        else:
            if record.status == "private":
                self.report.warn(record.source_id, "private in the source: imported as a draft, not public")

    # Old addresses ----------------------------------------------------------------------------
    def redirects(self, record: ItemRecord, page: Any) -> None:
        from wagtail.contrib.redirects.models import Redirect

        for path in record.old_paths:
            old = Redirect.normalise_path(path)
            if page.live and old == Redirect.normalise_path(page.get_url() or ""):
                continue  # the new address is the old one: nothing to redirect
            existing = Redirect.objects.filter(old_path=old, site__isnull=True).first()
            if existing is not None and existing.redirect_page_id == page.pk:
                if self._first_time("redirect", old):
                    self.report.skipped("redirect")
                continue
            Redirect.objects.update_or_create(
                old_path=old,
                site=None,
                defaults={"redirect_page": page, "is_permanent": True, "redirect_link": ""},
            )
            if self._first_time("redirect", old):
                self.report.count("redirect", "created" if existing is None else "updated")

    def _new_redirects(self, prepared: list[tuple[ItemRecord, NewPage]]) -> list[tuple[str, str]]:
        """The old addresses of stories written together, in one read and one insert; returns
        (old path, "created" or "updated") for the report."""
        from wagtail.contrib.redirects.models import Redirect

        wanted: dict[str, Any] = {}
        for record, new in prepared:
            page = new.page
            here = Redirect.normalise_path(page.get_url() or "") if page.live else None
            for path in record.old_paths:
                old = Redirect.normalise_path(path)
                if old != here:  # the new address is the old one: nothing to redirect
                    wanted[old] = page
        existing = {
            r.old_path: r for r in Redirect.objects.filter(old_path__in=list(wanted), site__isnull=True)
        }
        done, new_rows = [], []
        for old, page in wanted.items():
            found = existing.get(old)
            if found is None:
                new_rows.append(Redirect(old_path=old, site=None, redirect_page=page, is_permanent=True))
                done.append((old, "created"))
            elif found.redirect_page_id != page.pk:
                found.redirect_page, found.redirect_link, found.is_permanent = page, "", True
                found.save(update_fields=["redirect_page", "redirect_link", "is_permanent"])
                done.append((old, "updated"))
        Redirect.objects.bulk_create(new_rows)
        return done

    def feed_redirects(self) -> None:
        from django.urls import reverse
        from wagtail.contrib.redirects.models import Redirect

        target = reverse("news:feed_latest")
        for path in FEED_PATHS:
            old = Redirect.normalise_path(path)
            existing = Redirect.objects.filter(old_path=old, site__isnull=True).first()
            if existing is not None:
                self.report.skipped("redirect")
                continue
            self.report.created("redirect")
            if not self.options.dry_run:
                Redirect.objects.create(old_path=old, site=None, redirect_link=target, is_permanent=True)
