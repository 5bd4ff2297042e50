"""What the paywall shows of the current offer. Billing provides it; access only displays it.

`access` depends on no feature app, so the provider is named in settings
(`MASTHEAD_OFFER_SELECTOR`, a dotted path to a function returning `OfferSummary | None`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class OfferSummary:
    headline: str  # e.g. "3 months for $9"
    price_text: str  # e.g. "$9 for 3 months, then $15/month"
    ends_at: datetime | None  # aware; shown in the publication's zone
    benefits: list[str] = field(default_factory=list)
    url: str = "/subscribe/"


def featured_offer() -> OfferSummary | None:
    path = getattr(settings, "MASTHEAD_OFFER_SELECTOR", "")
    if not path:
        return None
    selector: Callable[[], OfferSummary | None] = import_string(path)
    return selector()
