"""Each language version of a public page at its own URL: English at the plain URL, Japanese under /ja/.

Search engines send no cookie and ask for no language, so the language of a public page is named
by its URL alone (`config.urls` puts the public pages under `i18n_patterns` with no prefix for the
default language): `/politics/` is always English and `/ja/politics/` always Japanese, whatever
`Accept-Language` says. Neither varies on `Accept-Language`; links inside a /ja/ page stay in /ja/
because Wagtail's page URLs and `{% url %}` reverse under the active language.

The one negotiation left is a reader's own choice: a reader who chose Japanese in the footer (the
language cookie) and opens a plain URL is sent to its /ja/ version, so plain URLs say
`Vary: Cookie`. Nothing else redirects by language.

What is not a public page (the apps API, the admin, /accounts/, billing and its webhooks, media)
has no language in its URL and is negotiated as before: the language cookie, then
`Accept-Language`, then English; those replies vary on both.

This middleware runs before the anonymous page cache (`masthead.core.page_cache`), which keys kept
pages on the language decided here: a kept /ja/ page is served to every anonymous reader of /ja/,
a language cookie included (it no longer changes what a page at a given URL shows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from enum import Enum
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.handlers.exception import response_for_exception
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import LocalePrefixPattern, Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

# Public, but one document for every language: they list or point at both language versions.
SINGLE_VERSION_VIEWS = frozenset(
    {"news:sitemap", "news:sitemap_index", "news:news_sitemap", "news:robots_txt"}
)


class Kind(Enum):
    VERSIONED = "versioned"  # a public page with a version per language
    SINGLE = "single"  # public, one version (sitemaps, robots.txt): the default language
    NEGOTIATED = "negotiated"  # not a public page: cookie, then Accept-Language


def default_language() -> str:
    return str(settings.LANGUAGE_CODE)


def prefixed_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES if code != default_language())


def split_language(path: str) -> tuple[str | None, str]:
    """("ja", "/politics/") for "/ja/politics/"; (None, path) for a path without a language."""
    for code in prefixed_languages():
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return code, path[len(prefix) - 1 :]
        if path == prefix[:-1]:
            return code, "/"
    return None, path


def language_version(url: str, language: str) -> str:
    """The same public page in `language`: "/ja/politics/" → "/politics/" for English, and back.
    Absolute URLs keep their scheme, host and query."""
    parts = urlsplit(url)
    _code, path = split_language(parts.path or "/")
    if language != default_language():
        path = f"/{language}{path}"
    return urlunsplit(parts._replace(path=path))


def _walk(patterns: list[Any]) -> Iterator[Callable[..., Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


@lru_cache(maxsize=8)
def _versioned_views(urlconf: str) -> frozenset[Callable[..., Any]]:
    """Every view under `i18n_patterns` in the URL configuration."""
    found: set[Callable[..., Any]] = set()
    for pattern in get_resolver(urlconf).url_patterns:
        if isinstance(pattern, URLResolver) and isinstance(pattern.pattern, LocalePrefixPattern):
            found.update(_walk(pattern.url_patterns))
    return frozenset(found)


def kind_of_path(path: str, urlconf: str | None = None) -> Kind:
    """What a path without a language prefix is (resolved once per path in each worker)."""
    return _kind_of_path(path, urlconf or settings.ROOT_URLCONF)


@lru_cache(maxsize=4096)
def _kind_of_path(path: str, urlconf: str) -> Kind:
    with translation.override(default_language()):
        try:
            match = resolve(path, urlconf)
        except Resolver404:
            # Nothing answers it (yet: CommonMiddleware may add a slash): a public miss.
            return Kind.VERSIONED
    if match.func not in _versioned_views(urlconf):
        return Kind.NEGOTIATED
    return Kind.SINGLE if match.view_name in SINGLE_VERSION_VIEWS else Kind.VERSIONED


def negotiated_language(request: HttpRequest) -> str:
    # Django's own order without the path: the language cookie, Accept-Language, the default.
    return translation.get_language_from_request(request, check_path=False)


def chosen_language(request: HttpRequest) -> str | None:
    """The language the reader chose in the footer, if it is one of ours."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code in dict(settings.LANGUAGES) else None


def is_language_versioned(request: HttpRequest) -> bool:
    """Whether this request is for a public page with a version per language (set by the middleware)."""
    return bool(getattr(request, "masthead_language_versioned", False))


class LanguageUrlMiddleware:
    """Django's LocaleMiddleware, with the language of public pages taken from the URL only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        urlconf = getattr(request, "urlconf", None)
        code, neutral = split_language(request.path_info)
        kind = kind_of_path(neutral, urlconf)
        if code is not None:
            language = code
        elif kind is Kind.NEGOTIATED:
            language = negotiated_language(request)
        else:
            language = default_language()
            chosen = chosen_language(request)
            reading = request.method in ("GET", "HEAD")
            if kind is Kind.VERSIONED and chosen not in (None, language) and reading:
                return self._to_chosen_version(request, str(chosen))
        request.LANGUAGE_CODE = language
        request.masthead_language_versioned = kind is Kind.VERSIONED  # type: ignore[attr-defined]
        # Rendered in the language, and the thread handed back as it came (a test's next request
        # or page URL must not inherit this one's language).
        response: HttpResponseBase
        with translation.override(language):
            if code is not None and kind is not Kind.VERSIONED:
                # /ja/api/…, /ja/robots.txt: no such version.
                response = response_for_exception(request, Http404("This page has no language versions."))
            else:
                response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        if kind is Kind.NEGOTIATED:
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        elif code is None and kind is Kind.VERSIONED:
            # The plain URL sends a reader who chose another language to that version.
            patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def _to_chosen_version(request: HttpRequest, language: str) -> HttpResponseBase:
        query = request.META.get("QUERY_STRING", "")
        target = language_version(request.path, language) + (f"?{query}" if query else "")
        response = HttpResponseRedirect(target)
        patch_vary_headers(response, ("Cookie",))
        patch_cache_control(response, private=True, no_store=True)
        response.headers["Content-Language"] = language
        return response
