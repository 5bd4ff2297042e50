"""New stories are written a chunk at a time (masthead.importers.page_batch); an editor, a reader and
the next run must not be able to tell them from stories written one by one through Wagtail."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from masthead.importers import writer as writer_module
from masthead.importers.models import ImportedItem
from masthead.news.models import ArticlePage
from masthead.pages.models import StandardPage
from tests.importers.conftest import WXR, run_import
from tests.importers.test_wordpress import counts


def _import(uploads, *args: str) -> tuple[str, str]:
    return run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download", *args)


def test_a_story_written_in_bulk_is_a_proper_wagtail_page(pub, uploads, client, django_user_model):
    _import(uploads)
    story = ArticlePage.objects.get(slug="post-format-standard")

    # In the tree where it belongs, and the tree is whole (paths, depths, child counts).
    assert story.get_parent().specific.slug == "classic"
    assert all(not problems for problems in Page.find_problems())
    # Live, with one revision that is both its latest and its live one, holding the byline.
    assert story.live and not story.has_unpublished_changes
    assert story.latest_revision_id is not None and story.latest_revision_id == story.live_revision_id
    as_saved = story.latest_revision.as_object()
    assert as_saved.title == story.title and [b.author.name for b in as_saved.bylines.all()] == [
        "Theme Buster"
    ]
    # Its history says it was published; the author's usage counts it.
    assert PageLogEntry.objects.filter(page=story, action="wagtail.publish").exists()
    author = story.authors[0]
    assert ReferenceIndex.get_references_to(author).filter(object_id=str(story.pk)).exists()

    # An editor opens it in the admin and publishes a correction.
    editor = django_user_model.objects.create_superuser(email="ed@example.com", password="pw-for-the-ed")
    client.force_login(editor)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story.pk]))
    assert edit.status_code == 200 and "Post Format: Standard" in edit.content.decode()
    story.title = "Post Format: Standard, corrected"
    story.save_revision(user=editor).publish()
    assert ArticlePage.objects.get(pk=story.pk).title == "Post Format: Standard, corrected"
    assert client.get(story.url).status_code == 200


def test_readers_see_imported_stories_at_once_without_a_publish_per_story(pub, uploads, client):
    from wagtail.signals import page_published

    before = client.get("/politics/")
    assert before.status_code == 200 and "Post Format: Standard" not in before.content.decode()
    published = []

    def heard(sender, instance, **kwargs):
        published.append(instance)

    page_published.connect(heard, dispatch_uid="test-bulk-heard")
    try:
        _import(uploads, "--section", "politics")
    finally:
        page_published.disconnect(dispatch_uid="test-bulk-heard")

    after = client.get("/politics/")
    assert "Post Format: Standard" in after.content.decode()  # not the page kept before the import
    # 13 stories went live; what each publish sets off (a new generation, renditions, the section
    # list) ran once for those written together, not once per story.
    assert ArticlePage.objects.live().count() == 13
    assert len([p for p in published if isinstance(p, ArticlePage)]) <= 2  # the lead story's


def test_an_interrupted_import_resumes_where_it_stopped(pub, uploads, monkeypatch):
    monkeypatch.setattr(writer_module, "CHUNK", 4)
    real = writer_module.write_new_pages
    calls = []

    def dies_on_the_third_chunk(new, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the operator's Ctrl-C, or the worker killed
        return real(new, **kwargs)

    monkeypatch.setattr(writer_module, "write_new_pages", dies_on_the_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        _import(uploads)

    # What was written is whole: every story has its record, every record its story.
    written = ArticlePage.objects.count() + StandardPage.objects.count()
    assert 0 < written < 15
    items = ImportedItem.objects.filter(source="wordpress", kind__in=["article", "page"])
    pages = [*ArticlePage.objects.values_list("pk", flat=True)]
    pages += StandardPage.objects.values_list("pk", flat=True)
    assert sorted(int(i.object_id) for i in items) == sorted(pages)

    monkeypatch.setattr(writer_module, "write_new_pages", real)
    _text, line = _import(uploads)

    created, updated, _skipped, _warnings = counts(line)
    assert ArticlePage.objects.count() == 15 and updated == 0 and created > 0
    assert not ArticlePage.objects.filter(slug__endswith="-2").exists()  # nothing written twice
    assert all(not problems for problems in Page.find_problems())


def test_when_writing_together_fails_the_stories_go_in_one_by_one(pub, uploads, monkeypatch):
    def broken(new, **kwargs):
        raise ValueError("a bulk insert the database refused")

    monkeypatch.setattr(writer_module, "write_new_pages", broken)
    text, line = _import(uploads)

    assert ArticlePage.objects.count() == 15 and ArticlePage.objects.live().count() == 13
    assert ArticlePage.objects.get(slug="post-format-standard").latest_revision_id is not None
    warnings = [row for row in text.split("warnings:\n", 1)[1].splitlines()[:-1] if row.strip()]
    _created, _updated, _skipped, warned = counts(line)
    assert len(warnings) == warned > 0 and len(set(warnings)) == len(warnings)  # each said once


SAME_SLUG_WXR = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Old site</title><wp:base_blog_url>https://old.example</wp:base_blog_url>
<item><title>Opinion</title><link>https://old.example/opinion/</link>
<content:encoded><![CDATA[<p>What our opinion pages are.</p>]]></content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 10:00:00</wp:post_date_gmt>
<wp:post_name>opinion</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
<item><title>A column</title><link>https://old.example/2020/a-column/</link>
<content:encoded><![CDATA[<p>The column.</p>]]></content:encoded>
<wp:post_id>2</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:post_name>a-column</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="opinion"><![CDATA[Opinion]]></category></item>
</channel></rss>
"""


def test_a_page_and_a_new_section_of_the_same_chunk_get_different_addresses(pub, tmp_path, client):
    export = tmp_path / "same-slug.xml"
    export.write_text(SAME_SLUG_WXR, encoding="utf-8")

    run_import("import_wordpress", str(export), "--no-download")

    slugs = list(pub.home.get_children().values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))  # two pages at one address: one of them unreachable
    column = ArticlePage.objects.get(slug="a-column")
    about = StandardPage.objects.get(title="Opinion")
    assert client.get(column.url).status_code == 200 and client.get(about.url).status_code == 200


def test_a_story_wagtail_would_refuse_is_reported_not_written(pub, uploads, monkeypatch):
    real = writer_module.Writer._article_fields

    def overlong_headline(self, record):
        section, fields, authors = real(self, record)
        if record.source_id == "358":
            fields["title"] = "A headline " * 30  # 330 characters: over the headline's 255
        return section, fields, authors

    monkeypatch.setattr(writer_module.Writer, "_article_fields", overlong_headline)
    text, _line = _import(uploads)

    assert "[358] not imported: ValidationError" in text
    assert not ArticlePage.objects.filter(slug="post-format-standard").exists()
    assert ArticlePage.objects.count() == 14
