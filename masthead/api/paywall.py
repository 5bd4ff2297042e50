"""The API's side of the one path: the same `article_access` as the web page, then the same cut.

The reader is named explicitly from the token (an account, or an anonymous device's meter key),
never from a cookie, so an app and a browser of the same account share one meter.

What is the same for every reader (the summary, and the body blocks as JSON) is built once per
revision, language and generation and kept per worker (`masthead.core.generation`: any publish or
edit starts a new generation). The teaser blocks and the whole body are kept as separate entries,
and the cut below decides which one to ask for, so a reader without access is never handed an
entry that holds a gated block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from masthead.access.cut import teaser_length
from masthead.access.identity import ReaderIdentity
from masthead.access.services import article_access
from masthead.analytics.tracking import record_article_view
from masthead.api.articles import sections_by_path, summary_json
from masthead.api.blocks import body_json
from masthead.api.errors import ApiError
from masthead.api.models import ApiToken
from masthead.api.schemas import ArticleDetailOut, MeterNoticeOut, PaywallOut
from masthead.core.generation import ProcessCache, current_generation
from masthead.core.site_url import absolute_url, site_root_url
from masthead.news.models import ArticlePage
from masthead.news.renditions import HERO_SPECS, prefetch_block_renditions

METERED_STATES = {"metered-remaining", "metered-last"}

T = TypeVar("T")

# Sized like the web's rendered article parts: the articles readers open in a few minutes.
_kept: ProcessCache = ProcessCache(size=768)


def _reader_independent(
    request: HttpRequest, article: ArticlePage, part: tuple[Any, ...], load: Callable[[], T]
) -> T:
    # Absolute URLs (the article, image renditions) name the site URL, whatever host was asked.
    origin = site_root_url()
    key = ("api", article.pk, article.latest_revision_id, translation.get_language(), origin, *part)
    return _kept.get_or_load(key, generation=current_generation(request), load=load)


def _body_blocks(request: HttpRequest, article: ArticlePage, *, stop: int) -> list[dict[str, Any]]:
    """Body blocks [0, stop) as JSON: `stop` is the teaser length, or the whole body."""

    def load() -> list[dict[str, Any]]:
        visible = list(article.body)[:stop]
        prefetch_block_renditions(visible)
        return body_json(request=request, blocks=visible)

    # A copy per response: the kept blocks are shared by every thread of the worker.
    return [dict(block) for block in _reader_independent(request, article, ("body", stop), load)]


def _summary(request: HttpRequest, article: ArticlePage) -> dict[str, Any]:
    def load() -> dict[str, Any]:
        detail = summary_json(
            request=request, article=article, sections=sections_by_path(), hero_specs=HERO_SPECS
        )
        detail.update(
            dateline=article.dateline, hero_caption=article.hero_caption, hero_credit=article.hero_credit
        )
        return detail

    return dict(_reader_independent(request, article, ("summary",), load))


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
        "url": absolute_url(offer.url) if offer.url else "",
        # The same rule as the web's panel: only what this reader can take, and why not the rest.
        "kind": "offer" if getattr(offer, "is_offer", True) else "plan",
        "note": str(offer.note) if getattr(offer, "note", "") else None,
    }


def _prompt_json(prompt: Any, *, with_offer: bool) -> dict[str, Any]:
    out = {"state": str(prompt.state), "remaining": prompt.remaining, "prompt": str(prompt.text)}
    if with_offer:
        out["offer"] = offer_json(prompt.offer)
    return out


def article_detail(
    *, request: HttpRequest, article: ArticlePage, token: ApiToken, lang: str | None
) -> ArticleDetailOut:
    with translation.override(requested_language(request, lang)):
        reader = reader_identity(token)
        verdict = article_access(request=request, article=article, reader=reader)
        # Counted as the web counts a view (the same call), for the reader the token names.
        record_article_view(request=request, article=article, verdict=verdict, reader=reader)
        if not verdict.granted and _meter_unavailable(verdict):
            # Fail closed, and say so: the app should retry rather than show a paywall by mistake.
            raise ApiError(
                503, "meter_unavailable", "We cannot check your free articles right now. Try again."
            )
        total = len(article.body)
        # THE cut. A reader without access never gets a block past the teaser, in any field.
        stop = (
            total if verdict.granted else teaser_length(total_blocks=total, configured=verdict.teaser_blocks)
        )
        prompt = verdict.prompt
        paywall = meter = None
        if prompt is not None and not verdict.granted:
            paywall = PaywallOut.model_validate(_prompt_json(prompt, with_offer=True))
        elif prompt is not None and str(prompt.state) in METERED_STATES:
            meter = MeterNoticeOut.model_validate(_prompt_json(prompt, with_offer=False))
        # The article and the blocks this reader may see, validated once per revision and cut;
        # this reader's part is put in a copy. Ninja sends an ArticleDetailOut it is given without
        # validating it again (ninja.operation._result_to_response).
        return _validated_article(request, article, stop=stop).model_copy(
            update={"granted": bool(verdict.granted), "paywall": paywall, "meter": meter}
        )


def _validated_article(request: HttpRequest, article: ArticlePage, *, stop: int) -> ArticleDetailOut:
    def load() -> ArticleDetailOut:
        detail = _summary(request, article)
        detail.update(granted=False, body=_body_blocks(request, article, stop=stop), paywall=None, meter=None)
        return ArticleDetailOut.model_validate(detail)

    return _reader_independent(request, article, ("validated", stop), load)
