"""Subscription state → access windows. Pure: no database, no clock.

Every state is turned into entitlements with end times, so access stops at the right second
without any background job. A subscription gives at most two windows:

- the trial window (kind TRIAL), from the start to the trial end;
- the paid window (the subscription's kind), from the end of the trial (or the start) to the end
  of the paid period, plus a short leeway while a renewal is being charged, or plus the grace
  days while a payment is overdue.

The windows depend only on the subscription's current facts, never on the order in which those
facts arrived, so replaying provider events in any order ends in the same entitlements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Stripe renews at the period end and tells us a few seconds to minutes later; without a leeway
# an active subscriber would meet the paywall in between.
RENEWAL_LEEWAY = timedelta(hours=2)


@dataclass(frozen=True)
class SubscriptionFacts:
    status: str  # a SubscriptionStatus value
    started_at: datetime | None
    trial_end: datetime | None
    current_period_end: datetime | None
    cancel_at_period_end: bool
    ended_at: datetime | None
    paid_kind: str  # an EntitlementKind value for the paid window


@dataclass(frozen=True)
class AccessWindow:
    part: str  # "trial" or "paid": the suffix of the entitlement's source_ref
    kind: str
    starts_at: datetime
    ends_at: datetime | None  # None: open-ended


def access_windows(facts: SubscriptionFacts, *, grace: timedelta) -> list[AccessWindow]:
    status = facts.status
    start = facts.started_at
    if status == "incomplete" or start is None:
        return []
    end = _access_end(facts, grace=grace)
    windows: list[AccessWindow] = []
    trial_end = facts.trial_end
    if trial_end is not None and trial_end > start:
        trial_stop = trial_end if end is None else min(trial_end, end)
        windows.append(AccessWindow(part="trial", kind="trial", starts_at=start, ends_at=trial_stop))
        paid_start = trial_end
    else:
        paid_start = start
    if _has_paid_window(facts) and (end is None or end > paid_start):
        windows.append(AccessWindow(part="paid", kind=facts.paid_kind, starts_at=paid_start, ends_at=end))
    return windows


def _access_end(facts: SubscriptionFacts, *, grace: timedelta) -> datetime | None:
    period_end = facts.current_period_end
    if facts.status == "expired":
        return facts.ended_at or period_end or facts.started_at
    if facts.status == "trialing":
        return facts.trial_end or period_end
    if period_end is None:
        return None  # an open-ended staff grant
    if facts.status == "past_due":
        return period_end + grace
    if facts.status == "canceled" or facts.cancel_at_period_end:
        return period_end
    return period_end + RENEWAL_LEEWAY


def _has_paid_window(facts: SubscriptionFacts) -> bool:
    """A trial that was never converted gives no paid window (so the paywall says "trial expired")."""
    if facts.status == "trialing":
        return False
    if facts.trial_end is None:
        return True
    if facts.status == "expired":
        ended = facts.ended_at or facts.trial_end
        return ended > facts.trial_end
    if facts.status == "canceled" and facts.current_period_end is not None:
        # Canceled during the trial: access ends with the trial, nothing was ever paid.
        return facts.current_period_end > facts.trial_end
    return True
