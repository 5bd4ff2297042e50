"""Substack's e-mail list → readers: paid readers keep access until what they paid for ends,
comps and gifts get complimentary access, deletion requests are skipped."""

from __future__ import annotations

import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone

from masthead.access.entitlements import active_entitlements
from masthead.access.models import Entitlement, EntitlementKind
from masthead.importers.members.substack import import_substack_members
from masthead.importers.models import ImportedItem
from masthead.importers.report import Report
from masthead.newsletters.models import NewsletterSubscription
from tests.importers.members.conftest import SUBSTACK_CSV

pytestmark = pytest.mark.django_db

User = get_user_model()
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _warnings(report: Report) -> str:
    return "\n".join(f"[{w.source_id}] {w.message}" for w in report.warnings)


@pytest.fixture(autouse=True)
def _december() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


def _access(email: str) -> list[Entitlement]:
    return active_entitlements(user_id=User.objects.get(email=email).pk, now=timezone.now())


def test_substack_readers_arrive_with_the_access_they_had(daily: Any) -> None:
    report = Report()

    import_substack_members(SUBSTACK_CSV, report=report, dry_run=False)

    assert set(User.objects.values_list("email", flat=True)) == {
        "free.reader@example.com",
        "paid.monthly@example.com",
        "comp.reader@example.com",
        "gift.lapsed@example.com",
        "paid.noexpiry@example.com",
    }
    assert not User.objects.filter(email__contains="deletion-request").exists()
    # Paid monthly until 1 March: complimentary access until then (no Stripe id in the list).
    [paid] = _access("paid.monthly@example.com")
    assert (paid.kind, paid.ends_at) == (EntitlementKind.COMPLIMENTARY, datetime(2027, 3, 1, tzinfo=UTC))
    [comp] = _access("comp.reader@example.com")
    assert (comp.kind, comp.ends_at) == (EntitlementKind.COMPLIMENTARY, datetime(2027, 6, 1, tzinfo=UTC))
    assert _access("gift.lapsed@example.com") == []
    assert _access("paid.noexpiry@example.com") == []
    assert _access("free.reader@example.com") == []
    warnings = _warnings(report)
    assert "a Substack deletion request: skipped" in warnings
    assert "paid monthly on Substack until 2027-03-01: complimentary access until then" in warnings
    assert "access ended at the source on 2025-06-01" in warnings
    assert "[paid.noexpiry@example.com] line 6: paid (plan yearly) but no payment record" in warnings


def test_email_disabled_at_substack_means_no_newsletter_here(daily: Any, mailoutbox: Any) -> None:
    import_substack_members(SUBSTACK_CSV, report=Report(), dry_run=False)

    on_the_list = set(
        NewsletterSubscription.objects.active()
        .filter(newsletter=daily)
        .values_list("reader__email", flat=True)
    )
    assert "comp.reader@example.com" not in on_the_list  # email_disabled = true
    assert on_the_list == {
        "free.reader@example.com",
        "paid.monthly@example.com",
        "gift.lapsed@example.com",
        "paid.noexpiry@example.com",
    }
    assert mailoutbox == []  # they confirmed at Substack: no second confirmation e-mail


def test_the_export_zip_or_folder_is_read_as_well_as_the_csv(daily: Any, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("posts.csv", "post_id,post_date,is_published,type,audience,title\n")
        zipped.write(SUBSTACK_CSV, "email_list.testpub.csv")
    folder = tmp_path / "export"
    folder.mkdir()
    shutil.copy(SUBSTACK_CSV, folder / SUBSTACK_CSV.name)

    from_zip = Report(dry_run=True)
    import_substack_members(archive, report=from_zip, dry_run=True)
    from_folder = Report(dry_run=True)
    import_substack_members(folder, report=from_folder, dry_run=True)

    assert from_zip.counts["reader"]["created"] == from_folder.counts["reader"]["created"] == 5


def test_a_second_run_creates_nothing_and_a_dry_run_writes_nothing(daily: Any) -> None:
    dry = Report(dry_run=True)
    import_substack_members(SUBSTACK_CSV, report=dry, dry_run=True)
    assert not User.objects.exists()
    assert not ImportedItem.objects.exists()
    assert dry.counts["reader"]["created"] == 5
    assert dry.counts["entitlement"]["created"] == 2

    first = Report()
    import_substack_members(SUBSTACK_CSV, report=first, dry_run=False)
    assert (first.counts["reader"]["created"], first.counts["entitlement"]["created"]) == (5, 2)
    counts = (User.objects.count(), Entitlement.objects.count(), NewsletterSubscription.objects.count())

    second = Report()
    import_substack_members(SUBSTACK_CSV, report=second, dry_run=False)

    assert second.total("created") == 0
    assert (
        User.objects.count(),
        Entitlement.objects.count(),
        NewsletterSubscription.objects.count(),
    ) == counts
