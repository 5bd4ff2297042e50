"""Share links as plain URLs: no third-party script, pixel or font is loaded to share a story."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    url: str
    icon: str


def share_links(*, url: str, headline: str) -> list[ShareLink]:
    return [
        ShareLink(
            "facebook",
            "Facebook",
            "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
            "facebook",
        ),
        ShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            "linkedin",
        ),
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"url": url, "text": headline}), "x"),
        ShareLink(
            "email",
            gettext("E-mail"),
            f"mailto:?subject={quote(headline)}&body={quote(headline + chr(10) + url)}",
            "mail",
        ),
    ]
