"""How many metered articles a reader has read this period — for `/account/` and the API's `/me`,
from the same config, period and store as `article_access`, so the numbers always agree."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest

from masthead.access.meter import meter_store
from masthead.access.paywall_config import paywall_config
from masthead.access.periods import MeterPeriod, current_period

NO_ARTICLE = 0  # article ids start at 1: asks the store for the count only


def reads_this_period(
    *, reader_key: str, now: datetime, request: HttpRequest | None = None
) -> tuple[MeterPeriod, int]:
    """The current period and the reads counted in it. Raises `MeterStoreUnavailable`."""
    config = paywall_config(request=request)
    period = current_period(now=now, kind=config.period, zone=config.zone, rolling_days=config.rolling_days)
    state = meter_store().state(reader_key=reader_key, period=period, article_id=NO_ARTICLE)
    return period, state.read_count
