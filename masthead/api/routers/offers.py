"""Plans on sale and live offers, prices in integer minor units: the same for every reader."""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Router
from ninja.decorators import decorate_view
from pydantic import Field

from masthead.access.offers import featured_offer
from masthead.api.caching import public_list
from masthead.api.errors import ErrorOut
from masthead.api.paywall import offer_json, requested_language
from masthead.api.schemas import NO_NUL, OffersOut
from masthead.billing.selectors import active_plans, live_offers

router = Router(tags=["offers"])


@router.get("/offers", response={200: OffersOut, 422: ErrorOut}, summary="Plans and live offers")
@decorate_view(public_list)
def offers(
    request: HttpRequest, lang: Annotated[str | None, Field(max_length=16, pattern=NO_NUL)] = None
) -> dict[str, Any]:
    with translation.override(requested_language(request, lang)):
        return {
            "plans": [
                {
                    "id": plan.pk,
                    "name": plan.name,
                    "interval": plan.interval,
                    "price": {"amount": plan.price_minor, "currency": plan.currency},
                    "benefits": [str(b) for b in plan.benefits],
                    "trial_days": plan.trial_days,
                }
                for plan in active_plans()
            ],
            "offers": [
                {
                    "id": offer.pk,
                    "plan_id": offer.plan_id,
                    "headline": offer.headline,
                    "intro_price": {"amount": offer.intro_price_minor, "currency": offer.plan.currency},
                    "intro_intervals": offer.intro_intervals,
                    "starts_at": offer.starts_at,
                    "ends_at": offer.ends_at,
                    "featured": offer.featured,
                }
                for offer in live_offers()
            ],
            "featured": offer_json(featured_offer()),
        }
