"""Write plain records into the newsroom, idempotently, one item per transaction.

Every object made is recorded in ImportedItem under (source, kind, source id). A second run finds
the record: an unchanged item (same checksum) is skipped, an edited one becomes a new revision of
the same page, unless an editor has saved a revision since the import (then it is left alone and
listed, unless `overwrite`). An item that fails is reported and the run goes on; a run that stops
half way is simply run again.
"""

from __future__ import annotations

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
from masthead.importers.records import AuthorRecord, ImportOptions, ItemRecord, TermRecord
from masthead.importers.report import Report

FEED_PATHS = ("/feed/", "/rss/", "/feed/rss/", "/feed/atom/", "/rss.xml", "/feed.xml")
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

    @property
    def home(self) -> Any:
        if self._home is None:
            self._home = _home()
        return self._home

    # The run ----------------------------------------------------------------------------------
    def run(self, records: Iterable[ItemRecord]) -> Report:
        self.report.dry_run = self.options.dry_run
        for done, record in enumerate(records, start=1):
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
                self.report.warn(record.source_id, f"not imported: {exc.__class__.__name__}: {exc}")
                self.report.skipped(record.kind)
            if self.progress:
                self.progress(done)
        self.feed_redirects()
        return self.report

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
        while siblings.filter(slug=slug).exclude(pk=getattr(mine, "pk", None)).exists():
            slug, n = f"{base}-{n}", n + 1
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

    def _write_article(self, record: ItemRecord, page: Any) -> Any:
        from masthead.news.models import ArticleByline, ArticlePage

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

        fields = {
            "title": record.title[:255],
            "intro": record.excerpt or record.subtitle,
            "show_in_footer": False,  # the publisher decides which standing pages the footer lists
            "body": self.body_for(record, allowed=PAGE_BLOCKS),
        }
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
