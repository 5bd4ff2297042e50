"""`<head>` parts of listing pages: meta description, canonical link, JSON-LD.

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


def _canonical(url: str, articles: Any = None) -> SafeString:
    # Page 2 onwards is its own page (other stories), not a copy of page 1.
    number = getattr(articles, "number", 1)
    if number > 1:
        url = f"{url}?page={number}"
    return format_html('<link rel="canonical" href="{}">', url)


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
    blocks = jsonld.front_page(publication=_publication(context))
    return SafeString(
        _canonical(page.get_full_url(request=context["request"]))
        + "".join(jsonld.as_script(block) for block in blocks)
    )


@register.simple_tag(takes_context=True)
def listing_canonical(context: template.Context, page: Any, articles: Any = None) -> SafeString:
    """For a Wagtail page (section) or, given a path, a view's page (topic, author)."""
    url = absolute_url(page) if isinstance(page, str) else page.get_full_url(request=context["request"])
    return _canonical(url, articles)


@register.simple_tag(takes_context=True)
def author_page_head(context: template.Context, author: Any, articles: Any) -> SafeString:
    # The partner studio writes only sponsored pieces: an organisation, not a person.
    listed = list(getattr(articles, "object_list", []) or [])
    organization = bool(listed) and all(article.is_sponsored for article in listed)
    return SafeString(
        _canonical(absolute_url(author.get_absolute_url()), articles)
        + jsonld.as_script(jsonld.profile_page(author=author, organization=organization))
    )
