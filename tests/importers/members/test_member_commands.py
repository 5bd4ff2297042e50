"""The commands the publisher runs: readers come in with the content, rehearsed with --dry-run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.importers.conftest import run_import
from tests.importers.members.conftest import SUBSTACK_CSV

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def export(tmp_path: Path) -> Path:
    folder = tmp_path / "substack-export"
    (folder / "posts").mkdir(parents=True)
    (folder / "posts.csv").write_text(
        "post_id,post_date,is_published,email_sent_at,inbox_sent_at,type,audience,title,subtitle,podcast_url\n",
        encoding="utf-8",
    )
    shutil.copy(SUBSTACK_CSV, folder / SUBSTACK_CSV.name)
    return folder


@time_machine.travel("2026-12-01 09:00Z", tick=False)
def test_import_substack_brings_the_readers_and_its_dry_run_writes_none(
    pub: Any, daily: Any, export: Path
) -> None:
    rehearsal, _last = run_import("import_substack", str(export), "--dry-run")
    assert not User.objects.exists()
    # 5 readers (the deletion request skipped) and 2 entitlements, as the real run then writes.
    for text in (rehearsal, run_import("import_substack", str(export))[0]):
        assert re.search(r"^reader\s+5\s+0\s+1$", text, re.M), text
        assert re.search(r"^entitlement\s+2\s+0\s+1$", text, re.M), text
        assert "a Substack deletion request: skipped" in text
        assert "paid monthly on Substack until 2027-03-01" in text
    assert User.objects.count() == 5

    _text, last = run_import("import_substack", str(export))
    assert last.startswith("created 0,")
