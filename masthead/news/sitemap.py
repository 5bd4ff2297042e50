"""The sitemap: Wagtail's, without pages whose expiry has passed (see `masthead.news.expiry`)."""

from __future__ import annotations

from typing import Any

from wagtail.contrib.sitemaps import Sitemap

from masthead.news.expiry import still_running


class NewsSitemap(Sitemap):
    def items(self) -> Any:
        return super().items().filter(still_running())
