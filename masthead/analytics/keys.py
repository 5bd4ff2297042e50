"""What an event may know about a reader and a request: a keyed hash, a class of referrer, UTM tags.

Never the IP address, the user agent or the raw Referer: the agent is only read to leave bots out,
the Referer only to name its class.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from masthead.access.identity import anonymous_key_from_cookie, is_speculative, is_verified_crawler

READER_SALT = "masthead.analytics.reader"

SEARCH_HOSTS = (
    "google.",
    "bing.",
    "duckduckgo.",
    "yahoo.",
    "yandex.",
    "baidu.",
    "ecosia.",
    "qwant.",
    "startpage.",
)
SOCIAL_HOSTS = (
    "facebook.",
    "fb.",
    "t.co",
    "twitter.",
    "x.com",
    "linkedin.",
    "lnkd.in",
    "reddit.",
    "instagram.",
    "bsky.",
    "mastodon.",
    "threads.net",
    "news.ycombinator.",
    "whatsapp.",
    "youtube.",
    "tiktok.",
)
MAIL_HOSTS = ("mail.", "outlook.", "webmail.", "substack.")
# Tools that announce themselves; the meter treats them as anonymous readers, analytics leaves them out.
BOT_AGENT = re.compile(
    r"bot\b|crawl|spider|slurp|preview|fetch|monitor|curl/|wget/|python-requests|scrapy", re.I
)


def reader_hash(raw_key: str) -> str:
    """The pseudonymous key an event carries: a keyed hash of the meter's reader key.

    The same value as Django's `salted_hmac(READER_SALT, raw_key, algorithm="sha256")`, with the
    key derived once per secret rather than on every view (it is on the article path)."""
    keyed = _keyed_hmac()
    keyed.update(raw_key.encode())
    return keyed.hexdigest()[:32]


_derived: tuple[str, hmac.HMAC] | None = None


def _keyed_hmac() -> hmac.HMAC:
    global _derived
    secret = settings.SECRET_KEY
    if _derived is None or _derived[0] != secret:
        key = hashlib.sha256(READER_SALT.encode() + secret.encode()).digest()
        _derived = (secret, hmac.new(key, digestmod=hashlib.sha256))
    return _derived[1].copy()


def account_reader(user_id: int) -> str:
    return reader_hash(f"u:{user_id}")


def anonymous_reader(request: HttpRequest) -> str | None:
    key = anonymous_key_from_cookie(request)
    return reader_hash(f"a:{key}") if key else None


def request_reader(request: HttpRequest, *, new_anonymous_key: str | None = None) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return account_reader(int(user.pk))
    if new_anonymous_key:
        return reader_hash(f"a:{new_anonymous_key}")
    found = anonymous_reader(request)
    if found:
        return found
    # No cookie and none given (a free article's first view): a reader of one request.
    from secrets import token_urlsafe

    return reader_hash(f"once:{token_urlsafe(12)}")


def is_excluded(request: HttpRequest) -> bool:
    """Bots, verified crawlers and prefetches are not readers."""
    if is_speculative(request) or is_verified_crawler(request):
        return True
    agent = request.META.get("HTTP_USER_AGENT", "")
    if len(agent) > AGENT_KEPT_LENGTH:
        return bool(BOT_AGENT.search(agent))
    return _is_bot_agent(agent)


# Real browsers' agents are under ~300 characters; longer ones (anyone can send 8 KB) are checked
# every time rather than kept, so the cache below stays a few hundred KB at most.
AGENT_KEPT_LENGTH = 512


@functools.lru_cache(maxsize=2048)
def _is_bot_agent(agent: str) -> bool:
    # Readers arrive with a few hundred distinct agents: the regex runs once for each.
    return bool(BOT_AGENT.search(agent))


def referrer_class(request: HttpRequest) -> str:
    # Read only when the query string could name it (`utm` also matches `utm%5Fmedium`).
    has_medium = "utm" in request.META.get("QUERY_STRING", "")
    utm_medium = request.GET.get("utm_medium", "").lower() if has_medium else ""
    if utm_medium in ("email", "newsletter"):
        return "newsletter"
    referer = request.headers.get("Referer", "")
    if not referer:
        return "direct"
    host = (urlsplit(referer).hostname or "").lower()
    if not host:
        return "other"
    if host == request.get_host().split(":")[0].lower():
        return "internal"
    bare = host.removeprefix("www.").removeprefix("m.")
    if any(bare.startswith(h) or f".{h}" in f".{bare}" for h in SEARCH_HOSTS):
        return "search"
    if any(bare.startswith(h) or bare == h for h in SOCIAL_HOSTS):
        return "social"
    if any(bare.startswith(h) for h in MAIL_HOSTS):
        return "newsletter"
    return "other"


NO_UTM = {"utm_source": "", "utm_medium": "", "utm_campaign": ""}


def utm(request: HttpRequest) -> dict[str, str]:
    if "utm" not in request.META.get("QUERY_STRING", ""):
        return NO_UTM  # most views: no query string, nothing to parse
    return {
        f"utm_{name}": request.GET.get(f"utm_{name}", "")[:64] for name in ("source", "medium", "campaign")
    }
