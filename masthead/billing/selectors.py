"""Reads: the catalogue as readers see it, the paywall's offer panel, a reader's subscription."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from masthead.access.offers import OfferSummary
from masthead.billing.models import Eligibility, Interval, Offer, Plan, Subscription
from masthead.billing.money import format_money
from masthead.core.generation import now_and_after_commit

# The paywall asks for the offer on every gated article view; a short cache keeps that off the
# database. Saving a plan or offer drops it, and it never outlives the offer's end (or the next
# offer's start), so an offer still appears and disappears on the second.
OFFER_CACHE_SECONDS = 60
_OFFER_CACHE_KEY = "masthead:billing:offer-panel:v3:"
_OFFER_EDITED_KEY = "masthead:billing:offers-edited-at"


def interval_phrase(plan: Plan, count: int = 1) -> str:
    if plan.interval == Interval.YEAR:
        return ngettext("%(n)d year", "%(n)d years", count) % {"n": count}
    return ngettext("%(n)d month", "%(n)d months", count) % {"n": count}


def plan_price_text(plan: Plan) -> str:
    price = format_money(plan.price_minor, plan.currency)
    if plan.interval == Interval.YEAR:
        return gettext("%(price)s/year") % {"price": price}
    return gettext("%(price)s/month") % {"price": price}


def offer_price_text(offer: Offer) -> str:
    return gettext("%(total)s for %(period)s, then %(price)s") % {
        "total": format_money(offer.intro_total_minor, offer.plan.currency, trim=True),
        "period": interval_phrase(offer.plan, offer.intro_intervals),
        "price": plan_price_text(offer.plan),
    }


def active_plans() -> list[Plan]:
    return list(Plan.objects.filter(active=True))


def live_offers(*, now: datetime | None = None) -> list[Offer]:
    return list(Offer.objects.live(now).select_related("plan"))


def is_new_subscriber(*, user_id: int, excluding: int | None = None) -> bool:
    """New-subscriber offers and trials are for readers who never had a started subscription."""
    earlier = Subscription.objects.filter(user_id=user_id).started()
    if excluding is not None:
        earlier = earlier.exclude(pk=excluding)
    return not earlier.exists()


def offer_is_open(*, eligibility: str, returning: bool) -> bool:
    """THE eligibility rule, pure: a new-subscribers offer is not for a reader who subscribed before."""
    return eligibility == Eligibility.ANYONE or not returning


def offer_is_open_to(offer: Offer, *, user_id: int | None) -> bool:
    """The rule for one reader (an anonymous reader is always new): /subscribe/, checkout, paywall."""
    if offer.eligibility == Eligibility.ANYONE or user_id is None:
        return True
    return offer_is_open(eligibility=offer.eligibility, returning=not is_new_subscriber(user_id=user_id))


@dataclass(frozen=True)
class OfferPanel:
    """The paywall's offer panel for a new and for a returning subscriber. The same for every
    reader, so it is cached; which half a reader gets is decided per request."""

    for_new: OfferSummary | None
    for_returning: OfferSummary | None

    @property
    def same_for_everyone(self) -> bool:
        return self.for_new == self.for_returning


@dataclass(frozen=True)
class VariantOffer:
    """What a running experiment on the offer shows one reader: their variant's offer (None: the
    site's featured offer) and the offers kept for the experiment's other variants."""

    offer_id: int | None
    withheld: frozenset[int] = frozenset()


class VariantOfferSource(Protocol):
    def __call__(self, *, request: HttpRequest | None) -> VariantOffer | None: ...


# Billing imports nothing from the experiments app: it puts its lookup here when it starts. Given
# no request, the source answers for the request being served (its reader's assignment), if any.
variant_offer_sources: list[VariantOfferSource] = []


def variant_offer(*, request: HttpRequest | None = None) -> VariantOffer | None:
    for source in variant_offer_sources:
        found = source(request=request)
        if found is not None:
            return found
    return None


def offers_for_reader(*, request: HttpRequest) -> list[Offer]:
    """The live offers /subscribe/ lists for this reader: in an experiment on the offer, their
    variant's offer first, and neither another variant's offer nor (when theirs replaces it) the
    site's featured offer; offers no variant is about are listed as usual."""
    offers = live_offers()
    choice = variant_offer(request=request)
    if choice is None:
        return offers
    featured = {offer.pk for offer in offers if offer.featured}
    # A variant that features its own offer features it instead of the site's; a variant that
    # keeps the site's featured offer (and a reader in none) never sees the other variants' offers.
    withheld = (
        set(choice.withheld) | featured if choice.offer_id is not None else set(choice.withheld) - featured
    )
    withheld.discard(choice.offer_id or 0)
    return sorted(
        (offer for offer in offers if offer.pk not in withheld), key=lambda offer: offer.pk != choice.offer_id
    )


def offer_is_withheld(*, request: HttpRequest, offer_id: int) -> bool:
    """An offer a running experiment keeps for other readers than this one (checkout refuses it,
    so a variant's price is taken by that variant's readers only)."""
    if variant_offer(request=request) is None:
        return False
    return offer_id not in {offer.pk for offer in offers_for_reader(request=request)}


def featured_offer_summary(
    *, user_id: int | None = None, returning: bool = False, offer_id: int | None = None
) -> OfferSummary | None:
    """The paywall's offer panel (`MASTHEAD_OFFER_SELECTOR`): what this reader can take.

    One query for a signed-in reader, and only while the featured offer is for new subscribers;
    none for an anonymous reader (always new). `offer_id` features that offer instead of the
    site's (an experiment's variant); by default the variant of the request being served, if any."""
    if offer_id is None:
        choice = variant_offer()
        offer_id = choice.offer_id if choice is not None else None
    panel = offer_panel(offer_id=offer_id)
    if panel.same_for_everyone:
        return panel.for_new
    if not returning and user_id is not None:
        returning = not is_new_subscriber(user_id=user_id)
    return panel.for_returning if returning else panel.for_new


def offer_panel(*, offer_id: int | None = None) -> OfferPanel:
    # Kept per language and per featured offer: what a panel holds depends on nothing else, so no
    # reader's variant (or anything of theirs) reaches another reader through it.
    key = f"{_OFFER_CACHE_KEY}{_language()}" + (f":offer-{offer_id}" if offer_id is not None else "")
    now = timezone.now()
    # One round trip for the panel and the moment plans or offers were last edited.
    found = cache.get_many([key, _OFFER_EDITED_KEY])
    cached, edited_at = found.get(key), found.get(_OFFER_EDITED_KEY)
    # The entry carries the moment it stops being true, so an offer vanishes on the second even
    # though cache timeouts are whole seconds, and the moment it was read from the database: a
    # request that read the offers just before an edit committed may keep its copy after the
    # edit dropped it, and that copy is older than the edit.
    if (
        isinstance(cached, tuple)
        and len(cached) == 3
        and now < cached[0]
        and (not isinstance(edited_at, datetime) or cached[1] > edited_at)
        and isinstance(cached[2], OfferPanel)
    ):
        return cached[2]
    panel = _build_panel(now, offer_id=offer_id)
    valid_until = _valid_until(now)
    timeout = max(1, int((valid_until - now).total_seconds()) + 1)
    cache.set(key, (valid_until, now, panel), timeout)
    return panel


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _offer_summary(offer: Offer, *, note: str = "") -> OfferSummary:
    return OfferSummary(
        headline=offer.headline,
        price_text=offer_price_text(offer),
        ends_at=offer.ends_at,
        benefits=[str(b) for b in offer.plan.benefits],
        url="/subscribe/",
        note=note,
    )


def _plan_summary(plan: Plan, *, note: str = "") -> OfferSummary:
    return OfferSummary(
        headline=gettext("Subscribe for %(price)s") % {"price": plan_price_text(plan)},
        price_text=plan_price_text(plan),
        ends_at=None,
        benefits=[str(b) for b in plan.benefits],
        url="/subscribe/",
        is_offer=False,
        note=note,
    )


def not_for_returning_text(offer: Offer) -> str:
    return gettext("“%(headline)s” is for new subscribers.") % {"headline": offer.headline}


def _build_panel(now: datetime, *, offer_id: int | None = None) -> OfferPanel:
    live = Offer.objects.live(now).select_related("plan")
    # A variant's offer while it is live; once it has ended, the site's featured offer.
    featured = live.filter(pk=offer_id).first() if offer_id is not None else None
    featured = featured or live.featured().order_by("ends_at").first()
    cheapest = Plan.objects.filter(active=True).order_by("price_minor").first()
    plan_summary = _plan_summary(cheapest) if cheapest is not None else None
    if featured is None:
        return OfferPanel(for_new=plan_summary, for_returning=plan_summary)
    for_new = _offer_summary(featured)
    if offer_is_open(eligibility=featured.eligibility, returning=True):
        return OfferPanel(for_new=for_new, for_returning=for_new)
    # A returning subscriber is offered what they may take, and told why not the featured offer.
    note = not_for_returning_text(featured)
    anyone = live.filter(eligibility=Eligibility.ANYONE).order_by("-featured", "ends_at").first()
    if anyone is not None:
        return OfferPanel(for_new=for_new, for_returning=_offer_summary(anyone, note=note))
    if cheapest is not None:
        return OfferPanel(for_new=for_new, for_returning=_plan_summary(cheapest, note=note))
    nothing = OfferSummary(headline="", price_text="", ends_at=None, is_offer=False, note=note)
    return OfferPanel(for_new=for_new, for_returning=nothing)


def _valid_until(now: datetime) -> datetime:
    """The next moment the answer can change by itself (an offer ending or starting), capped."""
    horizon = now + timedelta(seconds=OFFER_CACHE_SECONDS)
    offers = Offer.objects.all()
    moments = [
        *offers.filter(ends_at__gt=now, ends_at__lt=horizon).values_list("ends_at", flat=True),
        *offers.filter(starts_at__gt=now, starts_at__lt=horizon).values_list("starts_at", flat=True),
    ]
    return min(moments, default=horizon)


def forget_featured_offer(**kwargs: Any) -> None:
    from django.conf import settings

    codes = {code.split("-")[0] for code, _name in settings.LANGUAGES}
    keys = [f"{_OFFER_CACHE_KEY}{code}" for code in codes]
    # Again after commit: a reader's request between the delete and the commit keeps the old offer.
    now_and_after_commit(lambda: cache.delete_many(keys))
    # And a copy read before the commit but kept after it is refused by its age.
    now_and_after_commit(lambda: cache.set(_OFFER_EDITED_KEY, timezone.now(), OFFER_CACHE_SECONDS * 2))


def connect_signals() -> None:
    for model in (Plan, Offer):
        post_save.connect(forget_featured_offer, sender=model, dispatch_uid=f"billing-offer-{model.__name__}")
        post_delete.connect(
            forget_featured_offer, sender=model, dispatch_uid=f"billing-offer-del-{model.__name__}"
        )


def current_subscription(*, user_id: int) -> Subscription | None:
    """The subscription the account page talks about: the current one, else the latest that started."""
    mine = Subscription.objects.filter(user_id=user_id).select_related("plan", "offer")
    return mine.current().order_by("-created_at").first() or mine.started().order_by("-created_at").first()


def duplicate_payments_of(*, user_id: int) -> list[dict[str, Any]]:
    """What the account page tells a reader about second subscriptions we canceled (and refunded)."""
    from masthead.billing.models import DuplicatePayment

    rows = DuplicatePayment.objects.filter(user_id=user_id).select_related("subscription__plan")
    return [
        {
            "outcome": row.outcome,
            "plan": row.subscription.plan.name if row.subscription else "",
            "amount": format_money(row.refunded_minor, row.currency or "USD"),
            "detected_at": row.detected_at,
            "settled_at": row.settled_at,
        }
        for row in rows.order_by("-detected_at")
    ]
