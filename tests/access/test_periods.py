"""The monthly meter follows the publication's calendar, through month ends and clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from masthead.access.periods import CALENDAR_MONTH, current_period
from masthead.core.models import PublicationSettings
from tests.access.conftest import data_remaining, has_canary, paywall_state

NEW_YORK = ZoneInfo("America/New_York")


def test_month_key_follows_the_publication_zone_not_utc() -> None:
    # 23:30 on 31 October in New York is already 1 November in UTC.
    late_october = datetime(2026, 10, 31, 23, 30, tzinfo=NEW_YORK)
    period = current_period(now=late_october.astimezone(UTC), kind=CALENDAR_MONTH, zone=NEW_YORK)
    assert period.key == "2026-10"
    assert period.ends_at == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # midnight EDT
    assert period.starts_at == datetime(2026, 10, 1, 4, 0, tzinfo=UTC)


def test_november_ends_at_midnight_standard_time() -> None:
    period = current_period(now=datetime(2026, 11, 20, tzinfo=UTC), kind=CALENDAR_MONTH, zone=NEW_YORK)
    assert (period.starts_at, period.ends_at) == (
        datetime(2026, 11, 1, 4, 0, tzinfo=UTC),  # EDT until 1 Nov 02:00
        datetime(2026, 12, 1, 5, 0, tzinfo=UTC),  # EST
    )


@pytest.mark.parametrize(
    ("zone", "start", "days"),
    [
        ("America/New_York", datetime(2026, 10, 25, tzinfo=UTC), 14),  # DST ends 1 Nov 2026
        ("America/New_York", datetime(2026, 3, 1, tzinfo=UTC), 14),  # DST starts 8 Mar
        ("Europe/London", datetime(2026, 3, 25, tzinfo=UTC), 14),  # BST starts 29 Mar
        ("Australia/Sydney", datetime(2026, 9, 25, tzinfo=UTC), 14),  # DST starts 4 Oct
        ("Asia/Tokyo", datetime(2026, 12, 25, tzinfo=UTC), 14),  # year end, no DST
    ],
)
def test_the_meter_resets_exactly_once_across_a_month_end(zone: str, start: datetime, days: int) -> None:
    tz = ZoneInfo(zone)
    keys = [
        current_period(now=start + timedelta(minutes=15 * step), kind=CALENDAR_MONTH, zone=tz).key
        for step in range(days * 24 * 4)
    ]
    changes = [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    assert len(changes) == 1
    changed_at = (start + timedelta(minutes=15 * changes[0])).astimezone(tz)
    assert (changed_at.day, changed_at.hour, changed_at.minute) == (1, 0, 0)


@pytest.mark.django_db
def test_reader_at_the_wall_on_the_last_evening_reads_again_after_local_midnight(
    pub: Any, metered: list[Any]
) -> None:
    settings = PublicationSettings.objects.first() or PublicationSettings.for_site(pub.home.get_site())
    settings.time_zone = "America/New_York"
    settings.save()
    client = Client()
    last_evening = datetime(2026, 10, 31, 23, 50, tzinfo=NEW_YORK)
    with time_machine.travel(last_evening, tick=False):
        for article in metered[:3]:
            client.get(article.url)
        wall = client.get(metered[3].url)
    assert paywall_state(wall) == "registration-wall"
    # Five minutes past local midnight on 1 November: a new month, a fresh allowance.
    with time_machine.travel(datetime(2026, 11, 1, 0, 5, tzinfo=NEW_YORK), tick=False):
        fresh = client.get(metered[3].url)
    assert has_canary(fresh, metered[3]) and data_remaining(fresh) == "2"
    # The clocks go back at 02:00 on 1 November: the repeated hour is the same month, no reset.
    with time_machine.travel(datetime(2026, 11, 1, 6, 30, tzinfo=UTC), tick=False):  # 01:30 EST
        for article in metered[4:6]:
            client.get(article.url)
        after = client.get(metered[6].url)
    assert paywall_state(after) == "registration-wall"
