"""Template helpers for reader pages: icons, share links, JSON-LD, sponsored links, renditions."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import prefetch_related_objects
from django.utils.safestring import SafeString

from masthead.core.models import PublicationSettings
from masthead.news import jsonld
from masthead.news.icons import icon_svg
from masthead.news.renditions import HERO_SPECS, prefetch_block_renditions, renditions_prefetch
from masthead.news.share import share_links
from masthead.news.sponsored_links import mark_sponsored_links

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = "") -> SafeString:
    return icon_svg(name, css_class)


@register.simple_tag(takes_context=True)
def prepare_article(context: template.Context, article: Any, *block_lists: Any) -> str:
    """Load hero and body renditions up front: one query each, however many images the body has."""
    if article.hero_image_id:
        prefetch_related_objects([article.hero_image], renditions_prefetch("renditions", HERO_SPECS))
    prefetch_block_renditions([block for blocks in block_lists for block in blocks])
    return ""


@register.simple_tag
def article_section(article: Any) -> Any:
    """The section an article lives in (its parent page), looked up once per page view."""
    if not hasattr(article, "_section_for_display"):
        article._section_for_display = article.get_parent()
    return article._section_for_display


@register.simple_tag(takes_context=True)
def render_body_block(context: template.Context, block: Any, sponsored: bool = False) -> SafeString:
    html = block.render_as_block(context.flatten())
    return mark_sponsored_links(html) if sponsored else html


@register.filter
def sponsored_links(html: str) -> SafeString:
    return mark_sponsored_links(html)


@register.inclusion_tag("news/includes/share.html", takes_context=True)
def share(context: template.Context, article: Any) -> dict[str, Any]:
    request = context["request"]
    url = article.get_full_url(request=request)
    return {"links": share_links(url=url, headline=article.title), "request": request}


@register.simple_tag(takes_context=True)
def article_jsonld(context: template.Context, article: Any, section: Any = None) -> SafeString:
    request = context["request"]
    publication = PublicationSettings.for_request(request)
    data = jsonld.news_article(
        article=article,
        request=request,
        publication=publication,
        section_title=getattr(section, "title", None),
    )
    return jsonld.as_script(data)
