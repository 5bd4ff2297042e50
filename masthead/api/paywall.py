"""The API's side of the one path: the same `article_access` as the web page, then the same cut.

The reader is named explicitly from the token (an account, or an anonymous device's meter key),
never from a cookie, so an app and a browser of the same account share one meter.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from masthead.access.cut import teaser_length
from masthead.access.identity import ReaderIdentity
from masthead.access.services import article_access
from masthead.api.articles import sections_by_path, summary_json
from masthead.api.blocks import body_json
from masthead.api.errors import ApiError
from masthead.api.models import ApiToken
from masthead.news.models import ArticlePage
from masthead.news.renditions import HERO_SPECS, prefetch_block_renditions

METERED_STATES = {"metered-remaining", "metered-last"}


def requested_language(request: HttpRequest, lang: str | None) -> str:
    """`?lang=` wins, then Accept-Language (already applied by LocaleMiddleware), then the default."""
    known = {code for code, _name in settings.LANGUAGES}
    if lang:
        base = lang.strip().lower().replace("_", "-")
        for candidate in (base, base.split("-")[0]):
            if candidate in known:
                return candidate
    return translation.get_language() or settings.LANGUAGE_CODE


def reader_identity(record: ApiToken) -> ReaderIdentity:
    if record.user_id is not None:
        return ReaderIdentity.for_user(record.user)
    return ReaderIdentity.anonymous(record.reader_key)


def _meter_unavailable(verdict: Any) -> bool:
    if getattr(verdict, "store_unavailable", False):
        return True
    prompt = getattr(verdict, "prompt", None)
    return str(getattr(prompt, "state", "")) == "meter-unavailable"


def offer_json(offer: Any) -> dict[str, Any] | None:
    if offer is None:
        return None
    return {
        "headline": str(offer.headline),
        "price_text": str(offer.price_text),
        "ends_at": offer.ends_at,
        "benefits": [str(b) for b in offer.benefits],
        "url": offer.url,
    }


def _prompt_json(prompt: Any, *, with_offer: bool) -> dict[str, Any]:
    out = {"state": str(prompt.state), "remaining": prompt.remaining, "prompt": str(prompt.text)}
    if with_offer:
        out["offer"] = offer_json(prompt.offer)
    return out


def article_detail(
    *, request: HttpRequest, article: ArticlePage, token: ApiToken, lang: str | None
) -> dict[str, Any]:
    with translation.override(requested_language(request, lang)):
        verdict = article_access(request=request, article=article, reader=reader_identity(token))
        if not verdict.granted and _meter_unavailable(verdict):
            # Fail closed, and say so: the app should retry rather than show a paywall by mistake.
            raise ApiError(
                503, "meter_unavailable", "We cannot check your free articles right now. Try again."
            )
        blocks = list(article.body)
        # THE cut. A reader without access never gets a block past the teaser, in any field.
        visible = (
            blocks
            if verdict.granted
            else blocks[: teaser_length(total_blocks=len(blocks), configured=verdict.teaser_blocks)]
        )
        prefetch_block_renditions(visible)
        prompt = verdict.prompt
        paywall = meter = None
        if prompt is not None and not verdict.granted:
            paywall = _prompt_json(prompt, with_offer=True)
        elif prompt is not None and str(prompt.state) in METERED_STATES:
            meter = _prompt_json(prompt, with_offer=False)
        detail = summary_json(
            request=request, article=article, sections=sections_by_path(), hero_specs=HERO_SPECS
        )
        detail.update(
            dateline=article.dateline,
            hero_caption=article.hero_caption,
            hero_credit=article.hero_credit,
            granted=bool(verdict.granted),
            body=body_json(request=request, blocks=visible),
            paywall=paywall,
            meter=meter,
        )
    return detail
