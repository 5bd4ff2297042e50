"""The sitemap: Wagtail's, without pages whose expiry has passed (see `masthead.news.expiry`).

Each page is listed once per language version (English at the plain URL, Japanese under /ja/:
`masthead.core.language_urls`), and every entry names all versions and the x-default with
`xhtml:link rel="alternate" hreflang` — how search engines learn the versions belong together.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap

from masthead.core.language_urls import default_language, language_version
from masthead.news.expiry import still_running


class NewsSitemap(Sitemap):
    def items(self) -> Any:
        return super().items().filter(still_running())

    def _urls(self, page: Any, protocol: Any, domain: Any) -> list[dict[str, Any]]:
        with translation.override(default_language()):
            urls: list[dict[str, Any]] = super()._urls(page, protocol, domain)
        versioned = []
        for url in urls:
            alternates = [
                {"lang_code": code, "location": language_version(url["location"], code)}
                for code, _name in settings.LANGUAGES
            ]
            alternates.append({"lang_code": "x-default", "location": url["location"]})
            for alternate in alternates[:-1]:
                versioned.append({**url, "location": alternate["location"], "alternates": alternates})
        return versioned
