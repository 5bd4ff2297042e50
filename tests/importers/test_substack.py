"""Importing a Substack export (posts.csv from TryGhost/migrate's fixtures, HTML written for the tests)."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from django.core.management.base import CommandError

from masthead.news.models import ArticlePage
from masthead.pages.models import StandardPage
from tests.importers.conftest import FIXTURES, run_import
from tests.importers.test_wordpress import counts

SUBSTACK = FIXTURES / "substack"


def test_substack_folder_maps_audience_status_and_old_addresses(pub, client):
    text, line = run_import("import_substack", str(SUBSTACK), "--no-download", "--section", "politics")

    created, _updated, skipped, _warnings = counts(line)
    assert created > 0 and skipped >= 1
    assert ArticlePage.objects.get(slug="plain-text").access == "free"
    assert ArticlePage.objects.get(slug="paid-dispatch").access == "subscribers"
    assert ArticlePage.objects.get(slug="paid-dispatch").standfirst == "What the minutes do not say."
    assert not ArticlePage.objects.get(slug="draft-text").live
    assert StandardPage.objects.filter(slug="about-us").exists()
    assert ArticlePage.objects.filter(slug="plain-text").get().get_parent().slug == "politics"
    # The founding members' post has no HTML file in the export: named, not imported.
    assert "123406.founders-note" in text and "is not in the export" in text
    assert "podcast's audio is kept as a link" in text
    kinds = [b.block_type for b in ArticlePage.objects.get(slug="plain-text").body]
    assert kinds[:3] == ["paragraph", "heading", "paragraph"] and "pull_quote" in kinds

    response = client.get("/p/paid-dispatch")
    assert response.status_code == 301
    assert response["Location"].endswith(ArticlePage.objects.get(slug="paid-dispatch").url)
    paid = client.get(response["Location"]).content.decode()
    assert "The council met on Tuesday" in paid and "CANARY-substack-paid" not in paid


def test_substack_zip_and_second_run(pub, tmp_path):
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in SUBSTACK.rglob("*"):
            if path.is_file():
                zf.write(path, "substack-export/" + str(path.relative_to(SUBSTACK)))
    run_import("import_substack", str(archive), "--no-download", "--section", "politics")
    articles = ArticlePage.objects.count()
    assert articles == 5

    _text, line = run_import("import_substack", str(archive), "--no-download", "--section", "politics")
    created, updated, _skipped, _warnings = counts(line)
    assert (created, updated) == (0, 0) and ArticlePage.objects.count() == articles


def test_a_broken_posts_csv_is_answered_with_the_reason(pub, tmp_path):
    folder = tmp_path / "export"
    shutil.copytree(SUBSTACK, folder)
    (folder / "posts.csv").write_text("post_id,title\n1.x,Only two columns\n")
    with pytest.raises(CommandError, match=r"line 1: posts\.csv lacks the column"):
        run_import("import_substack", str(folder))
