"""Importing the WordPress theme unit test data (a real WXR export, trimmed)."""

from __future__ import annotations

import re

import pytest
from django.core.management.base import CommandError
from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import Page

from masthead.importers.models import ImportedItem
from masthead.news.models import ArticlePage, Author, HomePage, SectionPage, Topic
from masthead.pages.models import StandardPage
from tests.importers.conftest import WXR, run_import

LINE = re.compile(r"^created (\d+), updated (\d+), skipped (\d+), warnings (\d+)$")


def counts(line: str) -> tuple[int, int, int, int]:
    match = LINE.match(line)
    assert match, f"the last line is not the report line: {line!r}"
    return tuple(int(n) for n in match.groups())  # type: ignore[return-value]


def test_dry_run_reports_everything_and_writes_nothing(pub):
    pages_before = Page.objects.count()

    text, line = run_import("import_wordpress", str(WXR), "--dry-run", "--no-download")

    created, updated, _skipped, warnings = counts(line)
    assert created > 20 and updated == 0 and warnings > 0
    assert "article" in text and "redirect" in text and "missing media" in text
    assert Page.objects.count() == pages_before
    assert not ImportedItem.objects.exists() and not Redirect.objects.exists()


def test_import_creates_articles_pages_sections_topics_and_authors(pub, uploads):
    text, line = run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    created, _updated, _skipped, warnings = counts(line)
    assert created > 0 and warnings > 0
    articles = ArticlePage.objects.all()
    # 15 posts in the file, 1 of them a draft and 1 scheduled: all imported, 13 of them live.
    assert articles.count() == 15
    assert articles.filter(live=True).count() == 13
    assert StandardPage.objects.filter(slug__in=["about", "page-with-comments"]).count() == 2
    # Categories became sections (none of the file's match "Politics" or "Business").
    assert SectionPage.objects.filter(slug="classic").exists()
    assert Topic.objects.filter(slug="post-formats").exists()
    assert Author.objects.filter(name="Theme Buster").exists()
    post = ArticlePage.objects.get(slug="post-format-standard")
    assert post.get_parent().slug == "classic"
    assert [a.name for a in post.authors] == ["Theme Buster"]
    assert post.first_published_at.year == 2010
    # The excerpt became the standfirst.
    excerpt = ArticlePage.objects.get(slug="template-excerpt-defined")
    assert excerpt.standfirst.startswith("This is a user-defined post excerpt")
    # The featured image came from the uploads folder, and is the hero photo.
    featured = ArticlePage.objects.get(slug="template-featured-image-horizontal")
    assert featured.hero_image is not None
    assert "comment(s) counted and not imported" in text


def test_draft_scheduled_and_sticky_posts(pub, uploads):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    draft = ArticlePage.objects.get(slug="draft")
    assert not draft.live
    scheduled = ArticlePage.objects.get(slug="scheduled")
    assert not scheduled.live and scheduled.go_live_at is not None
    sticky = ArticlePage.objects.get(slug="template-sticky")
    assert HomePage.objects.get().lead_story_id == sticky.pk


def test_gutenberg_blocks_map_onto_article_blocks_and_the_rest_is_kept_with_a_warning(pub, uploads):
    text, _line = run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    text_blocks = ArticlePage.objects.get(slug="text-category-blocks")
    kinds = [block.block_type for block in text_blocks.body]
    assert {"paragraph", "heading", "pull_quote"} <= set(kinds)
    html = "".join(str(block.value) for block in text_blocks.body if block.block_type == "paragraph")
    assert "<li>" in html and "<table>" in html  # lists and tables stayed in the story
    assert "<script" not in html and "style=" not in html
    assert "a table is kept as HTML in a paragraph" in text
    assert "a separator was left out" in text
    # Nothing dropped silently: every warning names the source id it concerns.
    assert re.search(r"\[8\] .*(kept|left out|became)", text)


def test_old_addresses_answer_with_a_permanent_redirect(pub, uploads, client):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")
    post = ArticlePage.objects.get(slug="post-format-standard")

    response = client.get("/2010/10/05/post-format-standard/")
    assert response.status_code == 301
    assert response["Location"].endswith(post.url)
    assert client.get(response["Location"]).status_code == 200

    by_id = client.get("/?p=358")
    assert by_id.status_code == 301 and by_id["Location"].endswith(post.url)

    feed = client.get("/feed/")
    assert feed.status_code == 301 and feed["Location"].endswith("/feeds/latest/")


def test_a_second_run_creates_nothing(pub, uploads):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")
    pages, images, redirects = Page.objects.count(), Image.objects.count(), Redirect.objects.count()

    _text, line = run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    created, updated, skipped, _warnings = counts(line)
    assert (created, updated) == (0, 0) and skipped > 20
    assert (Page.objects.count(), Image.objects.count(), Redirect.objects.count()) == (
        pages,
        images,
        redirects,
    )


def test_an_edited_export_updates_the_story_unless_an_editor_changed_it(
    pub, uploads, tmp_path, django_user_model
):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")
    edited = tmp_path / "edited.xml"
    source = WXR.read_text(encoding="utf-8")
    edited.write_text(
        source.replace(
            "<title>Post Format: Standard</title>", "<title>Post Format: Standard, corrected</title>"
        ).replace(
            "<title>Template: Excerpt (Defined)</title>", "<title>Template: Excerpt, corrected</title>"
        ),
        encoding="utf-8",
    )
    assert edited.read_text() != source
    # An editor rewrites the excerpt story's headline in Masthead after the import.
    editor = django_user_model.objects.create_user(email="editor@example.com", password="x")
    excerpt = ArticlePage.objects.get(slug="template-excerpt-defined")
    excerpt.title = "The editor's headline"
    excerpt.save_revision(user=editor).publish()
    revisions_before = ArticlePage.objects.get(slug="post-format-standard").revisions.count()

    text, line = run_import("import_wordpress", str(edited), "--media-dir", str(uploads), "--no-download")

    created, updated, _skipped, _warnings = counts(line)
    assert created == 0 and updated == 1
    standard = ArticlePage.objects.get(slug="post-format-standard")
    assert standard.title == "Post Format: Standard, corrected"
    assert standard.revisions.count() == revisions_before + 1
    assert ArticlePage.objects.get(pk=excerpt.pk).title == "The editor's headline"
    assert "edited in Masthead since the import" in text

    run_import("import_wordpress", str(edited), "--no-download", "--overwrite")
    assert ArticlePage.objects.get(pk=excerpt.pk).title == "Template: Excerpt, corrected"


def test_section_fallback_puts_unmapped_articles_in_the_named_section(pub, uploads):
    run_import(
        "import_wordpress",
        str(WXR),
        "--no-download",
        "--section",
        "business",
        "--map-section",
        "classic=politics",
    )
    assert ArticlePage.objects.get(slug="post-format-standard").get_parent().slug == "politics"
    assert ArticlePage.objects.get(slug="text-category-blocks").get_parent().slug == "business"
    assert not SectionPage.objects.filter(slug="classic").exists()


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rss><channel><item><title>&c;</title></item></channel></rss>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&secret;</title></item></channel></rss>
"""


@pytest.mark.parametrize("payload", [BOMB, EXTERNAL], ids=["entity-bomb", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(pub, tmp_path, payload):
    path = tmp_path / "evil.xml"
    path.write_text(payload)

    with pytest.raises(CommandError, match="DOCTYPE"):
        run_import("import_wordpress", str(path), "--no-download")
    assert not ArticlePage.objects.exists()


def test_a_malformed_file_is_answered_with_the_line_and_the_reason(pub, tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(WXR.read_text(encoding="utf-8").replace("</wp:post_name>", "</wp:post_nam>", 1))
    broken_line = path.read_text().split("</wp:post_nam>")[0].count("\n") + 1

    with pytest.raises(CommandError, match=rf"line {broken_line}: .*post_nam"):
        run_import("import_wordpress", str(path), "--no-download")


def test_an_item_that_fails_is_reported_the_rest_continue_and_a_rerun_finishes_the_job(
    pub, uploads, monkeypatch
):
    from masthead.importers.writer import Writer

    original = Writer._article_fields  # what both the bulk and the one-by-one writes go through

    def fails_on_one_story(self, record):
        if record.source_id == "358":
            raise ValueError("the disk is full")
        return original(self, record)

    monkeypatch.setattr(Writer, "_article_fields", fails_on_one_story)
    text, _line = run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    assert "[358] not imported: ValueError: the disk is full" in text
    assert not ArticlePage.objects.filter(slug="post-format-standard").exists()
    assert ArticlePage.objects.count() == 14  # the other stories went in
    assert not Redirect.objects.filter(
        old_path=Redirect.normalise_path("/?p=358")
    ).exists()  # nothing half-written

    monkeypatch.setattr(Writer, "_article_fields", original)
    _text, line = run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    created, updated, _skipped, _warnings = counts(line)
    assert ArticlePage.objects.count() == 15 and updated == 0
    assert created >= 1 and ArticlePage.objects.filter(slug="post-format-standard").exists()


def test_imported_stories_are_found_by_search(pub, uploads):
    run_import("import_wordpress", str(WXR), "--media-dir", str(uploads), "--no-download")

    found = ArticlePage.objects.live().search("Featured Image Horizontal")
    assert "template-featured-image-horizontal" in [page.slug for page in found]
