"""What the page frame (header and footer of base.html) needs on every page, computed lazily."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from masthead.access.policy import ENTITLED_KINDS
from masthead.access.services import account_reader_kind


def offers_subscription(request: HttpRequest) -> bool:
    """Whether the header shows "Subscribe": to everyone without an entitlement right now —
    anonymous, registered, lapsed and expired-trial readers — never to subscribers, trialists
    or staff. Anonymous readers all get the same answer (their pages are kept and shared); a
    signed-in reader's pages are never kept."""
    return account_reader_kind(request) not in ENTITLED_KINDS


def site_chrome(request: HttpRequest) -> dict[str, Any]:
    from masthead.pages.footer import footer_links

    # Lazy: feeds, robots.txt and JSON never render the frame, and never pay for it.
    return {
        "footer_pages": SimpleLazyObject(lambda: footer_links(request)),
        "offer_subscription": SimpleLazyObject(lambda: offers_subscription(request)),
    }
