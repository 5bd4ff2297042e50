"""`{% article_share_card page section %}`, `{% listing_share_card topic %}` and
`{% wagtail_page_share_card page %}`: the Open Graph / X card tags of masthead.news.share_cards,
rendered by includes/share_meta.html."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.core.models import PublicationSettings
from masthead.news.models import ArticlePage, HomePage, SectionPage
from masthead.news.share_cards import article_card, listing_card, website_card

register = template.Library()


def _site_name(context: template.Context) -> str:
    return str(PublicationSettings.for_request(context["request"]).name)


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def article_share_card(context: template.Context, article: Any, section: Any = None) -> dict[str, Any]:
    return {"card": article_card(article=article, section=section, site_name=_site_name(context))}


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def listing_share_card(context: template.Context, subject: Any) -> dict[str, Any]:
    """A topic's or an author's page (a front or section page's card comes from its Wagtail page)."""
    return {
        "card": listing_card(subject=subject, publication=PublicationSettings.for_request(context["request"]))
    }


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def wagtail_page_share_card(context: template.Context, page: Any) -> dict[str, Any]:
    """The card of a front, section or standing page. An article's card is kept with its head
    (news/includes/article_head.html), so none here."""
    page = getattr(page, "specific", page)
    if page is None or page.specific_class is ArticlePage:
        return {"card": None}
    if isinstance(page, HomePage | SectionPage):
        publication = PublicationSettings.for_request(context["request"])
        return {"card": listing_card(subject=page, publication=publication)}
    site_name = _site_name(context)
    title = page.seo_title or page.title or site_name
    description = page.search_description or getattr(page, "intro", "") or ""
    card = website_card(
        title=title, description=description, path_or_url=page.get_full_url() or "/", site_name=site_name
    )
    return {"card": card}
