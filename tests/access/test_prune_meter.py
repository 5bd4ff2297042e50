from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from masthead.access.models import MeterRead

pytestmark = pytest.mark.django_db


def test_prune_keeps_this_periods_reads_and_drops_old_ones(pub: Any) -> None:
    now = timezone.now()
    MeterRead.objects.create(reader_key="a:x", period_key="old", article_id=1,
                             read_at=int((now - timedelta(days=100)).timestamp()))  # fmt: skip
    MeterRead.objects.create(reader_key="a:x", period_key="now", article_id=2, read_at=int(now.timestamp()))
    out = StringIO()
    call_command("prune_meter", stdout=out)
    assert list(MeterRead.objects.values_list("article_id", flat=True)) == [2]
    assert "Deleted 1 meter reads" in out.getvalue()
