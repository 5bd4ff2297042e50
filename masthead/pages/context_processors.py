"""What the page frame (header and footer of base.html) needs on every page, computed lazily."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from masthead.access.policy import ENTITLED_KINDS, SIGNED_IN_KINDS
from masthead.access.previews import preview_reader
from masthead.access.services import account_reader_kind


def offers_subscription(request: HttpRequest) -> bool:
    """Whether the header shows "Subscribe": to everyone without an entitlement right now —
    anonymous, registered, lapsed and expired-trial readers — never to subscribers, trialists
    or staff. Anonymous readers all get the same answer (their pages are kept and shared); a
    signed-in reader's pages are never kept. An editor previewing "as" a reader sees that
    reader's header, not their own."""
    previewed = preview_reader(request)
    if previewed is not None:
        return previewed[0] not in ENTITLED_KINDS
    return account_reader_kind(request) not in ENTITLED_KINDS


def signed_in_frame(request: HttpRequest) -> bool:
    """Whether the header shows the account links ("Your account", "Log out") rather than "Log in";
    in a preview "as" a reader, whether that reader would be signed in."""
    previewed = preview_reader(request)
    if previewed is not None:
        return previewed[0] in SIGNED_IN_KINDS
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def site_chrome(request: HttpRequest) -> dict[str, Any]:
    from masthead.pages.footer import footer_links

    # Lazy: feeds, robots.txt and JSON never render the frame, and never pay for it.
    return {
        "footer_pages": SimpleLazyObject(lambda: footer_links(request)),
        "offer_subscription": SimpleLazyObject(lambda: offers_subscription(request)),
        "signed_in_frame": SimpleLazyObject(lambda: signed_in_frame(request)),
    }
