"""The meter's period: a calendar month in the publication's zone, or a rolling window of N days.

Pure (zoneinfo only) so month ends and daylight-saving changes are tested with plain datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

CALENDAR_MONTH = "calendar-month"
ROLLING_DAYS = "rolling-days"
ROLLING_KEY = "rolling"


@dataclass(frozen=True)
class MeterPeriod:
    key: str  # "2026-11" for a calendar month; "rolling" for a rolling window
    starts_at: datetime  # reads before this no longer count (aware UTC)
    ends_at: datetime  # when the current count stops mattering: stores expire their data then
    rolling_days: int | None = None

    @property
    def is_rolling(self) -> bool:
        return self.rolling_days is not None


def current_period(*, now: datetime, kind: str, zone: ZoneInfo, rolling_days: int = 30) -> MeterPeriod:
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    if kind == ROLLING_DAYS:
        days = max(rolling_days, 1)
        return MeterPeriod(
            key=ROLLING_KEY,
            starts_at=(now - timedelta(days=days)).astimezone(UTC),
            ends_at=(now + timedelta(days=days)).astimezone(UTC),
            rolling_days=days,
        )
    local = now.astimezone(zone)
    # Midnight on the 1st, local wall time; zoneinfo resolves it to the right UTC offset even
    # when the month starts inside a daylight-saving change.
    start_local = datetime(local.year, local.month, 1, tzinfo=zone)
    next_year, next_month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    end_local = datetime(next_year, next_month, 1, tzinfo=zone)
    return MeterPeriod(
        key=f"{local.year:04d}-{local.month:02d}",
        starts_at=start_local.astimezone(UTC),
        ends_at=end_local.astimezone(UTC),
    )
