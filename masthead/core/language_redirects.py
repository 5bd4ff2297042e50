"""Wagtail's redirects for every language version of an old address.

A redirect is kept once, under the address the editor's language gave it when a page moved or
changed its slug (usually the plain one, "/old-story/"), but a reader may arrive at either version
("/ja/old-story/" from a Japanese page someone bookmarked). A 404 that Wagtail finds no redirect
for is looked up again under the other versions of its path, and the reader is sent to the new
page in the language they asked for. Only 404s pay for this.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect, HttpResponseRedirect
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from masthead.core.language_urls import (
    Kind,
    default_language,
    kind_of_path,
    language_version,
    prefixed_languages,
    split_language,
)


class LanguageVersionRedirectMiddleware(RedirectMiddleware):  # type: ignore[misc]
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        response = super().process_response(request, response)
        if response.status_code != 404:
            return response
        code, neutral = split_language(request.path)
        language = code or default_language()
        candidates = [neutral] if code else [f"/{other}{neutral}" for other in prefixed_languages()]
        for candidate in candidates:
            redirect = get_redirect(request, Redirect.normalise_path(candidate, decode_unicode=False))
            if redirect is None or not redirect.link:
                continue
            link = redirect.link
            target = urlsplit(link)
            _code, target_path = split_language(target.path or "/")
            if not target.netloc and kind_of_path(target_path) is Kind.VERSIONED:
                link = language_version(link, language)  # the new page in the reader's language
            redirect_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
            return redirect_class(link)
        return response
