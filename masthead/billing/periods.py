"""Billing periods on the calendar. Pure: no database, no clock.

Periods are counted from one anchor (the start of paid time), never chained one from the other:
31 January + 1 month is 28 February, + 2 months is 31 March (chaining would give 28 March). The
calendar is the publication's: a reader in New York who starts at 23:30 on 31 January renews on
the last day of each month there, not on the 1st because it was already February in UTC.
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, tzinfo

MONTH = "month"
YEAR = "year"


def add_intervals(anchor: datetime, interval: str, count: int, *, zone: tzinfo = UTC) -> datetime:
    """`anchor` + `count` months (or years), on the calendar of `zone`; returned in UTC."""
    if anchor.tzinfo is None:
        raise ValueError("billing periods are computed from aware datetimes")
    local = anchor.astimezone(zone)
    months = count * (12 if interval == YEAR else 1)
    years, month_index = divmod(local.month - 1 + months, 12)
    year, month = local.year + years, month_index + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    moved = local.replace(year=year, month=month, day=day)
    # Wall-clock arithmetic: fold/gap moments are resolved by zoneinfo the usual way.
    return moved.astimezone(UTC)


def period_index(anchor: datetime, interval: str, moment: datetime, *, zone: tzinfo = UTC) -> int:
    """Which period (1-based) of those counted from `anchor` contains `moment`."""
    index = 1
    while add_intervals(anchor, interval, index, zone=zone) <= moment and index < 10_000:
        index += 1
    return index


def next_period_end(anchor: datetime, interval: str, after: datetime, *, zone: tzinfo = UTC) -> datetime:
    """The first period end counted from `anchor` that is later than `after`."""
    return add_intervals(anchor, interval, period_index(anchor, interval, after, zone=zone), zone=zone)
