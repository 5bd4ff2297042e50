"""`{% language_alternates %}`: where search engines find the other language versions of a page.

Every public page with a version per language (`masthead.core.language_urls`) names each version
with `hreflang`, and English, served at the plain URL, as `x-default`; the URLs are absolute at
the site URL. Only a listing's page number is carried over (page 2 in English is page 2 in
Japanese), as its canonical link names it: no other query string is part of the page.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from masthead.core.language_urls import default_language, is_language_versioned, language_version
from masthead.core.site_url import absolute_url

register = template.Library()


def alternates(path: str, page_number: int = 1) -> list[tuple[str, str]]:
    """(hreflang, absolute URL) of every language version of a public path, x-default last."""
    query = f"?page={page_number}" if page_number > 1 else ""
    found = [(code, absolute_url(language_version(path, code)) + query) for code, _name in settings.LANGUAGES]
    found.append(("x-default", absolute_url(language_version(path, default_language())) + query))
    return found


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> SafeString:
    request = context.get("request")
    if request is None or not is_language_versioned(request):
        return SafeString("")
    # A listing's page as shown (`?page=999` shows the last), as its canonical link names it.
    number = getattr(context.get("articles"), "number", 1)
    links = alternates(request.path, number if isinstance(number, int) else 1)
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links)


@register.simple_tag
def front_page_url() -> str:
    """The front page in the interface language: "/" or "/ja/"."""
    return language_version("/", translation.get_language() or default_language())
