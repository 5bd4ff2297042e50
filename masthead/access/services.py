"""The one path for an article request: facts -> decide() -> record -> cut.

`article_access` gathers plain facts (who reads, what the article is, what the meter says),
asks the pure `policy.decide()`, records a counted read atomically, and returns the verdict the
page (and the API) cut the body by. `finalize_article_response` adds the headers that keep a
personalised page out of shared caches.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from masthead.access.identity import (
    ReaderIdentity,
    anonymous_key_from_cookie,
    is_speculative,
    is_verified_crawler,
    new_anonymous_key,
    set_anonymous_cookie,
)
from masthead.access.meter import MeterStore, MeterStoreUnavailable, meter_store
from masthead.access.models import Entitlement, EntitlementKind
from masthead.access.new_readers import admit_new_reader
from masthead.access.offers import OfferSummary, featured_offer
from masthead.access.paywall_config import PaywallConfig, paywall_config
from masthead.access.periods import MeterPeriod, current_period
from masthead.access.policy import (
    AccessLevel,
    ArticleFacts,
    Decision,
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
from masthead.access.previews import preview_reader
from masthead.access.prompts import Prompt, build_prompt
from masthead.access.reader_state import entitlement_facts

__all__ = [
    "ArticleAccess",
    "ReaderIdentity",
    "RuleChange",
    "account_reader_kind",
    "article_access",
    "finalize_article_response",
    "mailed_article_access",
    "reader_kind_of_account",
    "reader_kinds_of_accounts",
]

logger = logging.getLogger(__name__)


class ArticleLike(Protocol):
    pk: Any
    access_level: str
    is_sponsored: bool


@dataclass(frozen=True)
class ArticleAccess:
    granted: bool
    teaser_blocks: int
    decision: Decision
    prompt: Prompt | None = None
    reader_kind: ReaderKind = ReaderKind.ANONYMOUS
    # The meter store could not be reached: the body was withheld (fail closed), nothing recorded.
    store_unavailable: bool = False
    # Set when this response must give a new anonymous reader their meter cookie.
    new_anonymous_key: str | None = None
    gated_article: bool = True  # anything but a free article: keep it out of archives

    @property
    def remaining(self) -> int | None:
        return self.decision.remaining


@dataclass(frozen=True)
class RuleChange:
    """What a running experiment's variant changes for one reader (None: the site's setting)."""

    anonymous_limit: int | None = None
    registered_limit: int | None = None
    teaser_blocks: int | None = None


class RuleSource(Protocol):
    def __call__(
        self, *, request: HttpRequest, identity: ReaderIdentity, kind: ReaderKind, explicit: bool
    ) -> RuleChange | None: ...


# `access` depends on no feature app: the experiments app puts its variant lookup here when it
# starts (its AppConfig.ready). It must cost no query per view and set nothing for entitled readers.
rule_sources: list[RuleSource] = []


def _with_variant(
    *, config: PaywallConfig, request: HttpRequest, identity: ReaderIdentity, kind: ReaderKind, explicit: bool
) -> PaywallConfig:
    for source in rule_sources:
        change = source(request=request, identity=identity, kind=kind, explicit=explicit)
        if change is not None:
            return replace(
                config,
                anonymous_limit=_or(change.anonymous_limit, config.anonymous_limit),
                registered_limit=_or(change.registered_limit, config.registered_limit),
                teaser_blocks=_or(change.teaser_blocks, config.teaser_blocks),
            )
    return config


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def article_access(
    *, request: HttpRequest, article: ArticleLike, reader: ReaderIdentity | None = None
) -> ArticleAccess:
    now = timezone.now()
    config = paywall_config(request=request)
    facts = ArticleFacts(
        access_level=AccessLevel(article.access_level), is_sponsored=bool(article.is_sponsored)
    )
    rule = MeterRule(anonymous_limit=config.anonymous_limit, registered_limit=config.registered_limit)
    preview = preview_reader(request)
    if preview is not None:
        # An editor's preview as another reader: the meter state is simulated, never recorded.
        kind, simulate = preview
        reader_facts = ReaderFacts(kind=kind)
        meter = simulate(rule.limit_for(kind)) if needs_meter(reader=reader_facts, article=facts) else None
        decision = decide(reader=reader_facts, article=facts, meter=meter, rule=rule, now=now)
        # The offer panel a reader of that kind would see: lapsed readers are returning ones.
        returning = kind in (ReaderKind.EXPIRED_TRIAL, ReaderKind.LAPSED_SUBSCRIBER)
        return _verdict(decision=decision, config=config, kind=kind, facts=facts, returning=returning)

    identity, new_key = _identity(request=request, reader=reader)
    kind = _reader_kind(request=request, identity=identity, now=now)
    if reader is None and identity.user_id is not None:
        setattr(request, _ACCOUNT_KIND_ATTR, kind)  # the page's header asks too: one query
    if rule_sources:
        # A reader in a running experiment: decide() gets the variant's rule as its fact.
        config = _with_variant(
            config=config, request=request, identity=identity, kind=kind, explicit=reader is not None
        )
        rule = MeterRule(anonymous_limit=config.anonymous_limit, registered_limit=config.registered_limit)
    reader_facts = ReaderFacts(kind=kind, speculative=is_speculative(request))
    if not needs_meter(reader=reader_facts, article=facts):
        decision = decide(reader=reader_facts, article=facts, meter=None, rule=rule, now=now)
        return _verdict(decision=decision, config=config, kind=kind, facts=facts, user_id=identity.user_id)

    period = current_period(now=now, kind=config.period, zone=config.zone, rolling_days=config.rolling_days)
    reader_key = identity.reader_key
    if reader_key is None:
        # An explicit reader with neither account nor meter id has no free articles to spend.
        at_limit = MeterState(read_count=rule.limit_for(kind), already_read=False)
        decision = decide(reader=reader_facts, article=facts, meter=at_limit, rule=rule, now=now)
        return _verdict(decision=decision, config=config, kind=kind, facts=facts, user_id=identity.user_id)
    try:
        store = meter_store()
        # A reader who just got a fresh id has read nothing yet: no need to ask the store.
        meter = (
            MeterState(read_count=0, already_read=False)
            if new_key
            else store.state(reader_key=reader_key, period=period, article_id=int(article.pk))
        )
        decision = decide(reader=reader_facts, article=facts, meter=meter, rule=rule, now=now)
        if decision.counts and new_key and not admit_new_reader(request=request, config=config, now=now):
            # This address has started its day's share of fresh anonymous readers: a reader
            # without a meter cookie gets no fresh allowance, only the registration wall.
            at_limit = MeterState(read_count=rule.limit_for(kind), already_read=False)
            decision = decide(reader=reader_facts, article=facts, meter=at_limit, rule=rule, now=now)
        if decision.counts:
            decision = _record(
                store=store,
                decision=decision,
                reader_key=reader_key,
                period=period,
                article_id=int(article.pk),
                now=now,
                reader_facts=reader_facts,
                facts=facts,
                rule=rule,
            )
    except MeterStoreUnavailable as exc:
        logger.warning("meter store unavailable, failing closed: %s", exc)
        decision = Decision(
            granted=False, reason=Reason.METER_UNAVAILABLE, counts=False, prompt=PromptState.METER_UNAVAILABLE
        )
        return _verdict(
            decision=decision,
            config=config,
            kind=kind,
            facts=facts,
            store_unavailable=True,
            user_id=identity.user_id,
        )
    counted_new_reader = new_key if decision.counts else None
    return _verdict(
        decision=decision,
        config=config,
        kind=kind,
        facts=facts,
        new_key=counted_new_reader,
        user_id=identity.user_id,
    )


def _record(
    *,
    store: MeterStore,
    decision: Decision,
    reader_key: str,
    period: MeterPeriod,
    article_id: int,
    now: datetime,
    reader_facts: ReaderFacts,
    facts: ArticleFacts,
    rule: MeterRule,
) -> Decision:
    outcome = store.record_read(
        reader_key=reader_key, period=period, article_id=article_id, limit=decision.limit or 0, now=now
    )
    if outcome.accepted:
        return decision
    # Lost the race: parallel requests used the last free article first. This view meets the
    # wall the reader would see on their next article.
    at_limit = MeterState(read_count=decision.limit or 0, already_read=False)
    return decide(reader=reader_facts, article=facts, meter=at_limit, rule=rule, now=now)


def _verdict(
    *,
    decision: Decision,
    config: PaywallConfig,
    kind: ReaderKind,
    facts: ArticleFacts,
    store_unavailable: bool = False,
    new_key: str | None = None,
    user_id: int | None = None,
    returning: bool = False,
) -> ArticleAccess:
    prompt = None
    if decision.prompt is not None:
        offer: OfferSummary | None = None
        if decision.prompt in _OFFER_STATES:
            # Only what this reader can take: billing's eligibility rule, asked for accounts only
            # (an anonymous reader is always a new subscriber, and costs no query).
            offer = featured_offer(user_id=user_id, returning=returning)
        prompt = build_prompt(
            state=decision.prompt,
            config=config,
            remaining=decision.remaining,
            limit=decision.limit,
            offer=offer,
        )
    return ArticleAccess(
        granted=decision.granted,
        teaser_blocks=config.teaser_blocks,
        decision=decision,
        prompt=prompt,
        reader_kind=kind,
        store_unavailable=store_unavailable,
        new_anonymous_key=new_key,
        gated_article=not (facts.is_sponsored or facts.access_level is AccessLevel.FREE),
    )


_OFFER_STATES = frozenset(
    {PromptState.OFFER, PromptState.TRIAL_EXPIRED, PromptState.ACCESS_EXPIRED, PromptState.SUBSCRIBERS_ONLY}
)


_ACCOUNT_KIND_ATTR = "_masthead_account_reader_kind"


def account_reader_kind(request: HttpRequest) -> ReaderKind:
    """What kind of reader the signed-in account is right now (anonymous when nobody is signed in).

    One query for an account, once per request (an article's own decision supplies it). Never
    the verified-crawler kind: what depends on it would differ between anonymous readers.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ReaderKind.ANONYMOUS
    known: ReaderKind | None = getattr(request, _ACCOUNT_KIND_ATTR, None)
    if known is None:
        known = _reader_kind(request=request, identity=ReaderIdentity.for_user(user), now=timezone.now())
        setattr(request, _ACCOUNT_KIND_ATTR, known)
    return known


def reader_kind_of_account(*, identity: ReaderIdentity, now: datetime | None = None) -> ReaderKind:
    """What kind of reader an account is at `now`, without a request (e-mail, tasks): the same
    entitlement facts and `classify_reader` as a page view."""
    if identity.user_id is None:
        return ReaderKind.ANONYMOUS
    return _reader_kind(request=None, identity=identity, now=now or timezone.now())


def mailed_article_access(
    *,
    kind: ReaderKind,
    article: ArticleLike,
    user_id: int | None,
    config: PaywallConfig | None = None,
    now: datetime | None = None,
    returning: bool | None = None,
) -> ArticleAccess:
    """The cut of `article` in an e-mail to a reader of `kind`: the page's one decision, no read.

    An e-mail cannot record a meter read (it is opened later, anywhere, perhaps by a machine and
    perhaps never), so a metered article is decided as for a reader with no free article left:
    a reader who is not entitled gets the teaser, the prompt and the offer that fits them, and
    reads the rest on the site, where the meter counts it as usual. Every other level is decided
    exactly as on the page (free and sponsored whole; registered whole for an account; subscribers
    only for entitled readers). `user_id` is the account (its offer eligibility, as on the page);
    None for an editor's preview as a kind, where lapsed kinds see the returning reader's offer.
    `returning`, when the caller already knows it (billing's rule, asked for a whole batch of
    readers at once), is whether the reader subscribed before; the offer then costs no query.
    """
    now = now or timezone.now()
    config = config or paywall_config(request=None)
    facts = ArticleFacts(
        access_level=AccessLevel(article.access_level), is_sponsored=bool(article.is_sponsored)
    )
    rule = MeterRule(anonymous_limit=config.anonymous_limit, registered_limit=config.registered_limit)
    reader_facts = ReaderFacts(kind=kind)
    meter = (
        MeterState(read_count=rule.limit_for(kind), already_read=False)
        if needs_meter(reader=reader_facts, article=facts)
        else None
    )
    decision = decide(reader=reader_facts, article=facts, meter=meter, rule=rule, now=now)
    if returning is None:
        returning = user_id is None and kind in (ReaderKind.EXPIRED_TRIAL, ReaderKind.LAPSED_SUBSCRIBER)
    else:
        user_id = None
    return _verdict(
        decision=decision, config=config, kind=kind, facts=facts, user_id=user_id, returning=returning
    )


def _identity(*, request: HttpRequest, reader: ReaderIdentity | None) -> tuple[ReaderIdentity, str | None]:
    """The explicit reader if given; else the signed-in account; else the meter cookie's id
    (a new one, returned second, when the cookie is missing or invalid)."""
    if reader is not None:
        return reader, None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return ReaderIdentity.for_user(user), None
    key = anonymous_key_from_cookie(request)
    if key:
        return ReaderIdentity(anonymous_key=key), None
    key = new_anonymous_key()
    return ReaderIdentity(anonymous_key=key), key


def _reader_kind(*, request: HttpRequest | None, identity: ReaderIdentity, now: datetime) -> ReaderKind:
    if identity.user_id is None:
        if request is None:
            return ReaderKind.ANONYMOUS
        return ReaderKind.VERIFIED_CRAWLER if is_verified_crawler(request) else ReaderKind.ANONYMOUS
    # The account's entitlements with their dates (kept in the shared cache, see reader_state);
    # the clock is applied here, on every request.
    facts = entitlement_facts(user_id=identity.user_id, request=request, now=now)
    return classify_reader(authenticated=True, staff=identity.is_staff, entitlements=facts, now=now)


def _entitlement_fact(kind: str, starts_at: datetime, ends_at: datetime | None) -> EntitlementFact:
    return EntitlementFact(is_trial=kind == EntitlementKind.TRIAL, starts_at=starts_at, ends_at=ends_at)


def reader_kinds_of_accounts(
    *, identities: Iterable[ReaderIdentity], now: datetime | None = None
) -> dict[int, ReaderKind]:
    """`reader_kind_of_account` for many accounts in one query (a newsletter's batch of readers)."""
    now = now or timezone.now()
    accounts = {i.user_id: i for i in identities if i.user_id is not None}
    facts: dict[int, list[EntitlementFact]] = {user_id: [] for user_id in accounts}
    rows = Entitlement.objects.filter(user_id__in=list(accounts), starts_at__lte=now).values_list(
        "user_id", "kind", "starts_at", "ends_at"
    )
    for user_id, kind, starts_at, ends_at in rows:
        facts[user_id].append(_entitlement_fact(kind, starts_at, ends_at))
    return {
        user_id: classify_reader(
            authenticated=True, staff=identity.is_staff, entitlements=facts[user_id], now=now
        )
        for user_id, identity in accounts.items()
    }


def finalize_article_response(*, response: HttpResponseBase, verdict: ArticleAccess) -> HttpResponseBase:
    # Every article page says something about its reader (the meter, the wall, the account), so
    # no shared cache may keep one reader's page for another.
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ["Cookie"])
    if verdict.gated_article:
        response["X-Robots-Tag"] = "noarchive"
    if verdict.new_anonymous_key:
        set_anonymous_cookie(response, verdict.new_anonymous_key)
    return response
