"""decide() without a database: every reader kind x access level x sponsorship x meter state."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from masthead.access.policy import (
    AccessLevel,
    ArticleFacts,
    EntitlementFact,
    MeterRule,
    MeterState,
    PromptState,
    ReaderFacts,
    ReaderKind,
    Reason,
    classify_reader,
    decide,
    needs_meter,
)

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)
RULE = MeterRule(anonymous_limit=3, registered_limit=5)

# Meter states relative to the reader's limit: (name, read_count(limit), already_read)
METER_STATES = {
    "under-limit": (lambda limit: 0, False),
    "last-one": (lambda limit: limit - 1, False),
    "at-limit": (lambda limit: limit, False),
    "already-read": (lambda limit: 2, True),
    "already-read-at-limit": (lambda limit: limit, True),
}

ENTITLED = {ReaderKind.SUBSCRIBER, ReaderKind.TRIALIST, ReaderKind.STAFF, ReaderKind.VERIFIED_CRAWLER}
WALL_FOR = {
    ReaderKind.ANONYMOUS: PromptState.REGISTRATION_WALL,
    ReaderKind.REGISTERED: PromptState.OFFER,
    ReaderKind.EXPIRED_TRIAL: PromptState.TRIAL_EXPIRED,
    ReaderKind.LAPSED_SUBSCRIBER: PromptState.ACCESS_EXPIRED,
}
SUBSCRIBERS_ONLY_FOR = {
    ReaderKind.ANONYMOUS: PromptState.SUBSCRIBERS_ONLY,
    ReaderKind.REGISTERED: PromptState.SUBSCRIBERS_ONLY,
    ReaderKind.EXPIRED_TRIAL: PromptState.TRIAL_EXPIRED,
    ReaderKind.LAPSED_SUBSCRIBER: PromptState.ACCESS_EXPIRED,
}


def expected(
    kind: ReaderKind, level: AccessLevel, sponsored: bool, state: str
) -> tuple[bool, bool, object, object]:
    """(granted, counts, prompt, remaining): the rules written out independently of decide()."""
    limit = RULE.anonymous_limit if kind is ReaderKind.ANONYMOUS else RULE.registered_limit
    count_of, already = METER_STATES[state]
    count = count_of(limit)
    if sponsored or level is AccessLevel.FREE:
        return True, False, None, None
    if kind in ENTITLED:
        return True, False, None, None
    if level is AccessLevel.SUBSCRIBERS:
        return False, False, SUBSCRIBERS_ONLY_FOR[kind], None
    if level is AccessLevel.REGISTERED:
        if kind is ReaderKind.ANONYMOUS:
            return False, False, PromptState.REGISTRATION_WALL, None
        return True, False, None, None
    if already:
        # A re-read is never the "last free article"; it says how many are left, none included.
        return True, False, PromptState.METERED_REMAINING, limit - count
    if count < limit:
        left = limit - count - 1
        return True, True, PromptState.METERED_LAST if left == 0 else PromptState.METERED_REMAINING, left
    return False, False, WALL_FOR[kind], 0


CASES = list(itertools.product(ReaderKind, AccessLevel, (False, True), METER_STATES))


@pytest.mark.parametrize(("kind", "level", "sponsored", "state"), CASES)
def test_decide_table(kind: ReaderKind, level: AccessLevel, sponsored: bool, state: str) -> None:
    # given
    limit = RULE.limit_for(kind)
    count_of, already = METER_STATES[state]
    reader = ReaderFacts(kind=kind)
    article = ArticleFacts(access_level=level, is_sponsored=sponsored)
    meter = MeterState(read_count=count_of(limit), already_read=already)
    # when
    decision = decide(reader=reader, article=article, meter=meter, rule=RULE, now=NOW)
    # then
    granted, counts, prompt, remaining = expected(kind, level, sponsored, state)
    assert (decision.granted, decision.counts, decision.prompt) == (granted, counts, prompt)
    if remaining is not None:
        assert decision.remaining == remaining
    if counts:
        assert needs_meter(reader=reader, article=article)


def test_every_combination_is_in_the_table() -> None:
    assert len(CASES) == len(ReaderKind) * len(AccessLevel) * 2 * len(METER_STATES)
    assert {c[0] for c in CASES} >= {
        ReaderKind.ANONYMOUS, ReaderKind.REGISTERED, ReaderKind.SUBSCRIBER, ReaderKind.TRIALIST,
        ReaderKind.EXPIRED_TRIAL, ReaderKind.LAPSED_SUBSCRIBER, ReaderKind.STAFF,
    }  # fmt: skip


def test_limit_of_three_reads_as_two_one_last_then_wall() -> None:
    reader = ReaderFacts(kind=ReaderKind.ANONYMOUS)
    article = ArticleFacts(access_level=AccessLevel.METERED)
    seen = []
    for count in range(4):
        d = decide(reader=reader, article=article, meter=MeterState(count, False), rule=RULE, now=NOW)
        seen.append((d.granted, d.prompt, d.remaining))
    assert seen == [
        (True, PromptState.METERED_REMAINING, 2),
        (True, PromptState.METERED_REMAINING, 1),
        (True, PromptState.METERED_LAST, 0),
        (False, PromptState.REGISTRATION_WALL, 0),
    ]


@pytest.mark.parametrize("kind", [k for k in ReaderKind if k not in ENTITLED])
def test_speculative_views_get_the_teaser_and_never_count(kind: ReaderKind) -> None:
    reader = ReaderFacts(kind=kind, speculative=True)
    article = ArticleFacts(access_level=AccessLevel.METERED)
    assert not needs_meter(reader=reader, article=article)
    d = decide(reader=reader, article=article, meter=None, rule=RULE, now=NOW)
    assert (d.granted, d.counts, d.reason) == (False, False, Reason.SPECULATIVE)


def test_a_zero_limit_walls_at_once() -> None:
    d = decide(
        reader=ReaderFacts(kind=ReaderKind.ANONYMOUS),
        article=ArticleFacts(access_level=AccessLevel.METERED),
        meter=MeterState(0, False),
        rule=MeterRule(anonymous_limit=0, registered_limit=5),
        now=NOW,
    )
    assert (d.granted, d.prompt) == (False, PromptState.REGISTRATION_WALL)


def _ent(is_trial: bool, start_days: int, end_days: int | None) -> EntitlementFact:
    return EntitlementFact(
        is_trial=is_trial,
        starts_at=NOW + timedelta(days=start_days),
        ends_at=None if end_days is None else NOW + timedelta(days=end_days),
    )


@pytest.mark.parametrize(
    ("authenticated", "staff", "entitlements", "kind"),
    [
        (False, False, [], ReaderKind.ANONYMOUS),
        (True, False, [], ReaderKind.REGISTERED),
        (True, True, [], ReaderKind.STAFF),
        (True, False, [_ent(False, -10, 20)], ReaderKind.SUBSCRIBER),
        (True, False, [_ent(False, -10, None)], ReaderKind.SUBSCRIBER),
        (True, False, [_ent(True, -3, 4)], ReaderKind.TRIALIST),
        (True, False, [_ent(True, -3, 4), _ent(False, -3, 30)], ReaderKind.SUBSCRIBER),
        (True, False, [_ent(True, -20, -6)], ReaderKind.EXPIRED_TRIAL),
        (True, False, [_ent(False, -60, -1)], ReaderKind.LAPSED_SUBSCRIBER),
        (True, False, [_ent(True, -90, -76), _ent(False, -76, -2)], ReaderKind.LAPSED_SUBSCRIBER),
        (True, False, [_ent(False, -90, -40), _ent(True, -20, -6)], ReaderKind.EXPIRED_TRIAL),
        # Not started yet: a gift that begins next week gives nothing today.
        (True, False, [_ent(False, 7, 40)], ReaderKind.REGISTERED),
    ],
)
def test_classify_reader(
    authenticated: bool, staff: bool, entitlements: list[EntitlementFact], kind: ReaderKind
) -> None:
    assert (
        classify_reader(authenticated=authenticated, staff=staff, entitlements=entitlements, now=NOW) is kind
    )


def test_an_entitlement_ending_now_has_ended() -> None:
    ends_now = EntitlementFact(is_trial=False, starts_at=NOW - timedelta(days=30), ends_at=NOW)
    assert classify_reader(authenticated=True, staff=False, entitlements=[ends_now], now=NOW) is (
        ReaderKind.LAPSED_SUBSCRIBER
    )


def test_policy_imports_nothing_from_django() -> None:
    import ast
    import pathlib

    import masthead.access.policy as policy

    tree = ast.parse(pathlib.Path(policy.__file__).read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m.startswith(("django", "masthead"))]
