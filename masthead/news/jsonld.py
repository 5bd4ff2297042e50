"""schema.org NewsArticle for an article page.

Never ``articleBody``: the markup is the same for every reader, and the body may be gated.
Gated articles say so (``isAccessibleForFree`` + ``hasPart``) so search engines can tell a paywall
from cloaking. Every URL in it names the site URL (masthead.core.site_url), never the request's host.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from masthead.core.site_url import absolute_url
from masthead.news.models import AccessLevel

GATED_SELECTOR = ".article-body__gated"
FALLBACK_LOGO = "masthead/img/publisher-logo.png"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def news_article(
    *, article: Any, request: HttpRequest, publication: Any, section_title: str | None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": article.get_full_url(request=request),
        "headline": article.title,
        "description": article.standfirst,
        "datePublished": _iso(article.first_published_at),
        "dateModified": _iso(article.updated_at or article.last_published_at or article.first_published_at),
        "author": [
            {"@type": "Person", "name": author.name, "url": absolute_url(author.get_absolute_url())}
            for author in article.authors
        ],
        "publisher": _publisher(publication=publication),
    }
    if article.hero_image_id:
        rendition = article.hero_image.get_rendition("width-1600")
        data["image"] = [absolute_url(rendition.url)]
    if section_title:
        data["articleSection"] = section_title
    if article.is_sponsored:
        sponsor = article.sponsor
        data["sponsor"] = {"@type": "Organization", "name": sponsor.name}
        if sponsor.url:
            data["sponsor"]["url"] = sponsor.url
    if article.access_level != AccessLevel.FREE:
        data["isAccessibleForFree"] = False
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": GATED_SELECTOR,
        }
    return data


def _publisher(*, publication: Any) -> dict[str, Any]:
    if publication.logo_id:
        logo_url = publication.logo.get_rendition("height-80").url
    else:
        logo_url = static(FALLBACK_LOGO)
    return {
        "@type": "NewsMediaOrganization",
        "name": publication.name,
        "url": absolute_url("/"),
        "logo": {"@type": "ImageObject", "url": absolute_url(logo_url)},
    }


def as_script(data: dict[str, Any]) -> SafeString:
    # Escape <, > and & so a headline containing "</script>" cannot end the block early.
    payload = json.dumps(data, ensure_ascii=False)
    payload = payload.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308
