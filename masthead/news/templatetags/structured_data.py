"""`<head>` parts of listing pages (meta description, canonical link, JSON-LD) and standing pages' JSON-LD.

Front, section, topic and author pages are kept in the shared page cache for anonymous readers:
everything here depends only on the page and its page number, never on the reader.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from masthead.core.models import PublicationSettings
from masthead.core.site_url import absolute_url
from masthead.news import descriptions, jsonld

register = template.Library()


def _publication(context: template.Context) -> Any:
    return PublicationSettings.for_request(context["request"])


def _meta(description: str) -> SafeString:
    return format_html('<meta name="description" content="{}">', description)


def _canonical_url(url: str, articles: Any = None) -> str:
    # Page 2 onwards is its own page (other stories), not a copy of page 1.
    number = getattr(articles, "number", 1)
    if number > 1:
        url = f"{url}?page={number}"
    return url


def _canonical(url: str, articles: Any = None) -> SafeString:
    return format_html('<link rel="canonical" href="{}">', _canonical_url(url, articles))


def _scripts(blocks: list[Any]) -> SafeString:
    return SafeString("".join(jsonld.as_script(block) for block in blocks))


@register.simple_tag(takes_context=True)
def front_description(context: template.Context, page: Any) -> SafeString:
    return _meta(descriptions.front_description(page=page, publication=_publication(context)))


@register.simple_tag(takes_context=True)
def section_description(context: template.Context, section: Any) -> SafeString:
    return _meta(descriptions.section_description(section=section, publication=_publication(context)))


@register.simple_tag(takes_context=True)
def topic_description(context: template.Context, topic: Any) -> SafeString:
    return _meta(descriptions.topic_description(topic=topic, publication=_publication(context)))


@register.simple_tag(takes_context=True)
def author_description(context: template.Context, author: Any) -> SafeString:
    return _meta(descriptions.author_description(author=author, publication=_publication(context)))


@register.simple_tag(takes_context=True)
def front_page_head(context: template.Context, page: Any) -> SafeString:
    blocks = jsonld.front_page(page=page, publication=_publication(context))
    return SafeString(_canonical(page.get_full_url(request=context["request"])) + _scripts(blocks))


@register.simple_tag(takes_context=True)
def section_page_head(context: template.Context, page: Any, articles: Any) -> SafeString:
    url = _canonical_url(page.get_full_url(request=context["request"]), articles)
    blocks = jsonld.collection_page(subject=page, name=page.title, url=url, publication=_publication(context))
    return SafeString(_canonical(url) + _scripts(blocks))


@register.simple_tag(takes_context=True)
def topic_page_head(context: template.Context, topic: Any, articles: Any) -> SafeString:
    url = _canonical_url(absolute_url(topic.get_absolute_url()), articles)
    blocks = jsonld.collection_page(
        subject=topic, name=topic.name, url=url, publication=_publication(context)
    )
    return SafeString(_canonical(url) + _scripts(blocks))


@register.simple_tag(takes_context=True)
def author_page_head(context: template.Context, author: Any, articles: Any) -> SafeString:
    # The partner studio writes only sponsored pieces: an organisation, not a person.
    listed = list(getattr(articles, "object_list", []) or [])
    organization = bool(listed) and all(article.is_sponsored for article in listed)
    url = _canonical_url(absolute_url(author.get_absolute_url()), articles)
    profile = jsonld.profile_page(
        author=author, organization=organization, publication=_publication(context), url=url
    )
    return SafeString(_canonical(url) + jsonld.as_script(profile))


@register.simple_tag(takes_context=True)
def standing_page_head(context: template.Context, page: Any) -> SafeString:
    return _scripts(jsonld.standing_page(page=page, publication=_publication(context)))
