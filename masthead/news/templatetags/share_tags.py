"""`{% article_share_card page section %}` and `{% page_share_card title description url %}`:
the Open Graph / X card tags of masthead.news.share_cards, rendered by includes/share_meta.html."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.core.models import PublicationSettings
from masthead.news.models import ArticlePage, HomePage
from masthead.news.share_cards import article_card, website_card

register = template.Library()


def _site_name(context: template.Context) -> str:
    return str(PublicationSettings.for_request(context["request"]).name)


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def article_share_card(context: template.Context, article: Any, section: Any = None) -> dict[str, Any]:
    return {"card": article_card(article=article, section=section, site_name=_site_name(context))}


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def page_share_card(context: template.Context, title: str, description: str, url: str) -> dict[str, Any]:
    site_name = _site_name(context)
    return {
        "card": website_card(
            title=title or site_name, description=description or "", path_or_url=url, site_name=site_name
        )
    }


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def wagtail_page_share_card(context: template.Context, page: Any) -> dict[str, Any]:
    """The card of a front, section or standing page. An article's card is kept with its head
    (news/includes/article_head.html), so none here."""
    page = getattr(page, "specific", page)
    if page is None or page.specific_class is ArticlePage:
        return {"card": None}
    site_name = _site_name(context)
    is_front = isinstance(page, HomePage)
    title = page.seo_title or ("" if is_front else page.title) or site_name
    description = page.search_description or getattr(page, "intro", "") or ""
    if is_front and not description:
        description = PublicationSettings.for_request(context["request"]).tagline
    card = website_card(
        title=title, description=description, path_or_url=page.get_full_url() or "/", site_name=site_name
    )
    return {"card": card}
