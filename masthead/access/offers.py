"""What the paywall shows of the current offer. Billing provides it; access only displays it.

`access` depends on no feature app, so the provider is named in settings
(`MASTHEAD_OFFER_SELECTOR`, a dotted path to a function called as
`selector(user_id=…, returning=…)` and returning `OfferSummary | None`). The selector answers
with what this reader can take, by billing's one eligibility rule (the same that decides
/subscribe/): `user_id` is the signed-in account (None for an anonymous reader, who is always a
new subscriber and must cost no query), `returning=True` asks for what a returning subscriber
would see (an editor's preview as a lapsed reader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class OfferSummary:
    headline: str  # e.g. "3 months for $9"
    price_text: str  # e.g. "$9 for 3 months, then $15/month"
    ends_at: datetime | None  # aware; shown in the publication's zone
    benefits: list[str] = field(default_factory=list)
    url: str = "/subscribe/"
    # An offer (a dated price) or a plan at its regular price: the button says which.
    is_offer: bool = True
    # Why the featured offer is not shown to this reader ("The 3 months for $9 offer is for new
    # subscribers."), empty when it is, or when there is none.
    note: str = ""


class OfferSelector(Protocol):
    def __call__(self, *, user_id: int | None, returning: bool) -> OfferSummary | None: ...


def featured_offer(*, user_id: int | None = None, returning: bool = False) -> OfferSummary | None:
    path = getattr(settings, "MASTHEAD_OFFER_SELECTOR", "")
    if not path:
        return None
    selector: OfferSelector = import_string(path)
    return selector(user_id=user_id, returning=returning)
