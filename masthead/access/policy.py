"""The paywall's rules, as one pure function: facts in, a Decision out.

Nothing here touches Django, the database, the clock or the request; `services.py` gathers the
facts, calls `decide()`, records the read and cuts the body. That keeps every rule table-testable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ReaderKind(StrEnum):
    ANONYMOUS = "anonymous"
    REGISTERED = "registered"
    SUBSCRIBER = "subscriber"
    TRIALIST = "trialist"
    EXPIRED_TRIAL = "expired-trial"
    LAPSED_SUBSCRIBER = "lapsed-subscriber"
    STAFF = "staff"
    # A crawler whose address is in a configured, verified network (off unless configured).
    VERIFIED_CRAWLER = "verified-crawler"


ENTITLED_KINDS = frozenset(
    {ReaderKind.SUBSCRIBER, ReaderKind.TRIALIST, ReaderKind.STAFF, ReaderKind.VERIFIED_CRAWLER}
)
SIGNED_IN_KINDS = frozenset(set(ReaderKind) - {ReaderKind.ANONYMOUS, ReaderKind.VERIFIED_CRAWLER})


class AccessLevel(StrEnum):
    METERED = "metered"
    FREE = "free"
    REGISTERED = "registered"
    SUBSCRIBERS = "subscribers"


class PromptState(StrEnum):
    METERED_REMAINING = "metered-remaining"
    METERED_LAST = "metered-last"
    REGISTRATION_WALL = "registration-wall"
    OFFER = "offer"
    TRIAL_EXPIRED = "trial-expired"
    ACCESS_EXPIRED = "access-expired"
    SUBSCRIBERS_ONLY = "subscribers-only"
    # Not a policy outcome: services use it when the meter store cannot be reached.
    METER_UNAVAILABLE = "meter-unavailable"


class Reason(StrEnum):
    FREE = "free"
    ENTITLED = "entitled"
    SIGNED_IN = "signed-in"
    METERED = "metered"
    ALREADY_READ = "already-read"
    SPECULATIVE = "speculative"
    METER_EXHAUSTED = "meter-exhausted"
    REGISTRATION_REQUIRED = "registration-required"
    SUBSCRIPTION_REQUIRED = "subscription-required"
    METER_UNAVAILABLE = "meter-unavailable"


@dataclass(frozen=True)
class EntitlementFact:
    is_trial: bool
    starts_at: datetime
    ends_at: datetime | None


@dataclass(frozen=True)
class ReaderFacts:
    kind: ReaderKind
    # HEAD, prefetch and prerender requests: nobody is reading yet, so nothing counts.
    speculative: bool = False


@dataclass(frozen=True)
class ArticleFacts:
    access_level: AccessLevel
    is_sponsored: bool = False


@dataclass(frozen=True)
class MeterState:
    read_count: int  # metered articles counted for this reader in the current period
    already_read: bool  # this article is one of them


@dataclass(frozen=True)
class MeterRule:
    anonymous_limit: int
    registered_limit: int

    def limit_for(self, kind: ReaderKind) -> int:
        return self.anonymous_limit if kind is ReaderKind.ANONYMOUS else self.registered_limit


@dataclass(frozen=True)
class Decision:
    granted: bool
    reason: Reason
    counts: bool  # this view must be recorded by the meter store before the body is sent
    prompt: PromptState | None
    remaining: int | None = None  # free metered articles left after this one
    limit: int | None = None
    read_count: int | None = None


def classify_reader(
    *, authenticated: bool, staff: bool, entitlements: Iterable[EntitlementFact], now: datetime
) -> ReaderKind:
    """Which kind of reader this is right now: end dates are checked on every request."""
    if not authenticated:
        return ReaderKind.ANONYMOUS
    if staff:
        return ReaderKind.STAFF
    started = [e for e in entitlements if e.starts_at <= now]
    active = [e for e in started if e.ends_at is None or e.ends_at > now]
    if any(not e.is_trial for e in active):
        return ReaderKind.SUBSCRIBER
    if active:
        return ReaderKind.TRIALIST
    if not started:
        return ReaderKind.REGISTERED
    # The most recent ending decides the message: a paid subscription that ended after a trial
    # is "your full access has expired", not "your trial has expired".
    latest = max(started, key=lambda e: e.ends_at or now)
    return ReaderKind.EXPIRED_TRIAL if latest.is_trial else ReaderKind.LAPSED_SUBSCRIBER


def needs_meter(*, reader: ReaderFacts, article: ArticleFacts) -> bool:
    """Whether `decide()` needs the meter state (so the store is read only when it matters)."""
    return (
        _effective_level(article) is AccessLevel.METERED
        and reader.kind not in ENTITLED_KINDS
        and not reader.speculative
    )


def decide(
    *, reader: ReaderFacts, article: ArticleFacts, meter: MeterState | None, rule: MeterRule, now: datetime
) -> Decision:
    """Granted or not, why, whether the view counts, what is left and which prompt to show.

    `now` is part of the signature so rules that depend on time stay pure; the period itself is
    resolved by the caller into `meter`.
    """
    del now  # the meter state already belongs to the current period
    level = _effective_level(article)
    kind = reader.kind
    if level is AccessLevel.FREE:
        return Decision(granted=True, reason=Reason.FREE, counts=False, prompt=None)
    if kind in ENTITLED_KINDS:
        return Decision(granted=True, reason=Reason.ENTITLED, counts=False, prompt=None)
    if level is AccessLevel.SUBSCRIBERS:
        return Decision(
            granted=False,
            reason=Reason.SUBSCRIPTION_REQUIRED,
            counts=False,
            prompt=_lapsed_prompt(kind) or PromptState.SUBSCRIBERS_ONLY,
        )
    if level is AccessLevel.REGISTERED:
        if kind is ReaderKind.ANONYMOUS:
            return Decision(
                granted=False,
                reason=Reason.REGISTRATION_REQUIRED,
                counts=False,
                prompt=PromptState.REGISTRATION_WALL,
            )
        return Decision(granted=True, reason=Reason.SIGNED_IN, counts=False, prompt=None)
    return _decide_metered(kind=kind, speculative=reader.speculative, meter=meter, rule=rule)


def _effective_level(article: ArticleFacts) -> AccessLevel:
    # Sponsored content is always free, whatever its access field says.
    return AccessLevel.FREE if article.is_sponsored else article.access_level


def _decide_metered(
    *, kind: ReaderKind, speculative: bool, meter: MeterState | None, rule: MeterRule
) -> Decision:
    limit = rule.limit_for(kind)
    wall = _wall_prompt(kind)
    if speculative:
        return Decision(granted=False, reason=Reason.SPECULATIVE, counts=False, prompt=None, limit=limit)
    if meter is None:
        raise ValueError("a metered article needs the meter state")
    count = meter.read_count
    if meter.already_read:
        # A re-read spends nothing, so it is never "your last free article": the reader is told
        # only how many are left (none, after the last one).
        remaining = max(limit - count, 0)
        return Decision(
            granted=True,
            reason=Reason.ALREADY_READ,
            counts=False,
            prompt=PromptState.METERED_REMAINING,
            remaining=remaining,
            limit=limit,
            read_count=count,
        )
    if count < limit:
        remaining = limit - count - 1
        return Decision(
            granted=True,
            reason=Reason.METERED,
            counts=True,
            prompt=_remaining_prompt(remaining),
            remaining=remaining,
            limit=limit,
            read_count=count,
        )
    return Decision(
        granted=False,
        reason=Reason.METER_EXHAUSTED,
        counts=False,
        prompt=wall,
        remaining=0,
        limit=limit,
        read_count=count,
    )


def _remaining_prompt(remaining: int) -> PromptState:
    return PromptState.METERED_LAST if remaining == 0 else PromptState.METERED_REMAINING


def _wall_prompt(kind: ReaderKind) -> PromptState:
    if kind is ReaderKind.ANONYMOUS:
        return PromptState.REGISTRATION_WALL
    return _lapsed_prompt(kind) or PromptState.OFFER


def _lapsed_prompt(kind: ReaderKind) -> PromptState | None:
    """Readers who had access are told it ended, not just asked to subscribe."""
    if kind is ReaderKind.EXPIRED_TRIAL:
        return PromptState.TRIAL_EXPIRED
    if kind is ReaderKind.LAPSED_SUBSCRIBER:
        return PromptState.ACCESS_EXPIRED
    return None
