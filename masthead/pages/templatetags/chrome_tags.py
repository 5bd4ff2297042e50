from __future__ import annotations

from django import template

from masthead.core.site_url import absolute_url

register = template.Library()


@register.filter(name="absolute_url")
def absolute_url_filter(path: str) -> str:
    """A site path as the site's one absolute URL (`masthead.core.site_url`), for print."""
    return absolute_url(str(path or "/"))
