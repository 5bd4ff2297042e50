"""Which variant a reader sees: a hash of the experiment's slug and the reader's key, bucketed by
the variants' shares. The same reader gets the same variant in every request and every worker.

The running experiments are kept in each worker for the current site-wide generation
(`masthead.core.generation`) and in the shared cache under it: an article view costs no query,
and starting or stopping an experiment (a new generation) is obeyed by every worker at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from wagtail.models import Site

from masthead.access.identity import ReaderIdentity
from masthead.access.policy import ENTITLED_KINDS, ReaderKind
from masthead.access.services import RuleChange
from masthead.billing.selectors import VariantOffer
from masthead.core.generation import ProcessCache, current_generation

CACHE_SECONDS = 60
_CACHE_PREFIX = "masthead:experiments:running:v2:"
SESSION_UNIT = "masthead_experiment_unit"
ASSIGNMENT_ATTR = "experiment_assignment"

_in_worker: ProcessCache = ProcessCache(size=8)

# Readers never put in an experiment: they do not meet the meter (subscribers, trialists, staff,
# verified crawlers), and self-declared robots (their User-Agent) whose views are no reader's.
_BOT_MARKERS = ("bot", "crawler", "spider", "slurp", "facebookexternalhit", "preview")


@dataclass(frozen=True)
class VariantRule:
    key: str
    share: int
    anonymous_limit: int | None = None
    registered_limit: int | None = None
    teaser_blocks: int | None = None
    offer_id: int | None = None

    def change(self) -> RuleChange:
        return RuleChange(
            anonymous_limit=self.anonymous_limit,
            registered_limit=self.registered_limit,
            teaser_blocks=self.teaser_blocks,
        )


@dataclass(frozen=True)
class RunningExperiment:
    slug: str
    variants: tuple[VariantRule, ...]


def bucket(*, slug: str, unit: str) -> float:
    """A number in [0, 1), uniform over readers, fixed for (experiment, reader)."""
    digest = hashlib.sha256(f"{slug}\x00{unit}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def choose(*, slug: str, unit: str, variants: Sequence[VariantRule]) -> VariantRule:
    """The variant whose slice of [0, 1), proportional to its share, holds the reader's bucket."""
    total = sum(v.share for v in variants)
    point = bucket(slug=slug, unit=unit) * total
    edge = 0.0
    for variant in variants:
        edge += variant.share
        if point < edge:
            return variant
    return variants[-1]


def running_experiments(*, request: HttpRequest | None) -> tuple[RunningExperiment, ...]:
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        site = Site.objects.filter(is_default_site=True).first()
    site_id = site.pk if site is not None else 0
    default_site = bool(site is None or site.is_default_site)
    generation = current_generation(request)
    key = f"{_CACHE_PREFIX}{site_id}"
    return _in_worker.get_or_load(
        key, generation=generation, load=lambda: _shared(key, generation, site_id, default_site)
    )


def _shared(key: str, generation: int, site_id: int, default_site: bool) -> tuple[RunningExperiment, ...]:
    # Under the generation it was read in, as the paywall settings: a copy read just before a
    # start or stop committed is never read again.
    key = f"{key}:g{generation}"
    found: tuple[RunningExperiment, ...] | None = cache.get(key)
    if found is None:
        found = _load(site_id, default_site)
        cache.set(key, found, CACHE_SECONDS)
    return found


def _load(site_id: int, default_site: bool) -> tuple[RunningExperiment, ...]:
    from django.db.models import Q

    from masthead.analytics.experiments.models import Experiment, Status

    where = Q(site_id=site_id)
    if default_site:
        where |= Q(site__isnull=True)
    experiments = Experiment.objects.filter(where, status=Status.RUNNING).prefetch_related("variants")
    return tuple(
        RunningExperiment(
            slug=e.slug,
            variants=tuple(
                VariantRule(
                    key=v.key,
                    share=v.share,
                    anonymous_limit=v.anonymous_limit,
                    registered_limit=v.registered_limit,
                    teaser_blocks=v.teaser_blocks,
                    offer_id=v.offer_id,
                )
                for v in e.variants.all()
            ),
        )
        for e in experiments.order_by("started_at", "pk")
        if e.variants.all()
    )


def reader_unit(*, request: HttpRequest, identity: ReaderIdentity, explicit: bool) -> str | None:
    """The key a reader is assigned by: the anonymous id, or for an account the anonymous id it
    first signed in with (kept in its session at sign-in; read from the database once per session
    for a session that predates it)."""
    if identity.user_id is None:
        return f"a:{identity.anonymous_key}" if identity.anonymous_key else None
    if explicit:
        return unit_of_account(identity.user_id)
    session = getattr(request, "session", None)
    if session is not None:
        unit = session.get(SESSION_UNIT)
        if isinstance(unit, str) and unit:
            return unit
    unit = unit_of_account(identity.user_id)
    if session is not None:
        session[SESSION_UNIT] = unit
    return unit


def unit_of_account(user_id: int, *, anonymous_key: str | None = None) -> str:
    """The account's unit, fixed the first time it is asked for: the anonymous id it came with."""
    from masthead.analytics.experiments.models import ReaderUnit

    first = f"a:{anonymous_key}" if anonymous_key else f"u:{user_id}"
    row, _ = ReaderUnit.objects.get_or_create(user_id=user_id, defaults={"unit": first})
    return row.unit


def is_declared_robot(request: HttpRequest) -> bool:
    agent = request.headers.get("User-Agent", "").lower()
    return any(marker in agent for marker in _BOT_MARKERS)


def variant_rule(
    *, request: HttpRequest, identity: ReaderIdentity, kind: ReaderKind, explicit: bool
) -> RuleChange | None:
    """The rule of the variant this reader is in (and `request.experiment_assignment`), or None."""
    if kind in ENTITLED_KINDS or kind is ReaderKind.STAFF or identity.is_staff:
        return None
    experiments = running_experiments(request=request)
    if not experiments or is_declared_robot(request):
        return None
    unit = reader_unit(request=request, identity=identity, explicit=explicit)
    if unit is None:
        return None
    # One experiment at a time changes the rule (two could contradict each other); starting a
    # second one is refused in the admin, the oldest wins if the database says otherwise.
    experiment = experiments[0]
    variant = choose(slug=experiment.slug, unit=unit, variants=experiment.variants)
    setattr(request, ASSIGNMENT_ATTR, (experiment.slug, variant.key))
    return variant.change()


def assignment_for(request: HttpRequest) -> tuple[str, str] | None:
    """The (experiment, variant) this request's reader is in: the one the article's decision made,
    or worked out the same way on a page that decides no article (/subscribe/)."""
    if hasattr(request, ASSIGNMENT_ATTR):
        found: tuple[str, str] | None = getattr(request, ASSIGNMENT_ATTR)
        return found
    from masthead.access.identity import anonymous_key_from_cookie
    from masthead.access.services import account_reader_kind

    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        identity = ReaderIdentity.for_user(user)
        kind = account_reader_kind(request)
    else:
        key = anonymous_key_from_cookie(request)
        if not key:
            return None  # a reader with no meter id yet sees the site's own offer
        identity, kind = ReaderIdentity.anonymous(key), ReaderKind.ANONYMOUS
    variant_rule(request=request, identity=identity, kind=kind, explicit=False)
    return getattr(request, ASSIGNMENT_ATTR, None)


def variant_offer(*, request: HttpRequest | None) -> VariantOffer | None:
    """Billing's offer source: the offer of the reader's variant in a running experiment on the
    offer, and the offers kept for the other variants. Without a request, the request being served
    (the wall's offer is chosen inside the article's decision, which has assigned the reader)."""
    from masthead.analytics.middleware import current_request

    request = request if request is not None else current_request.get()
    if request is None:
        return None
    experiments = running_experiments(request=request)
    if not experiments:
        return None
    experiment = experiments[0]
    offers = {v.key: v.offer_id for v in experiment.variants}
    named = frozenset(o for o in offers.values() if o is not None)
    if not named:
        return None
    found = assignment_for(request)
    mine = offers.get(found[1]) if found is not None and found[0] == experiment.slug else None
    return VariantOffer(offer_id=mine, withheld=named - {mine} if mine is not None else named)


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Fix the account's unit to the anonymous id it signs in with (the first time), so a reader
    who registers or signs in stays in the variant they were reading in."""
    from masthead.access.identity import account_tag, anonymous_key_from_cookie, cookie_left_by

    if request is None or getattr(user, "pk", None) is None:
        return
    key = anonymous_key_from_cookie(request)
    # A cookie another account left at sign-out is not this reader's (as the meter's merge).
    if key and cookie_left_by(request) not in (None, account_tag(int(user.pk))):
        key = None
    unit = unit_of_account(int(user.pk), anonymous_key=key)
    session = getattr(request, "session", None)
    if session is not None:
        session[SESSION_UNIT] = unit
