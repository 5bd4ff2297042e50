"""Fixed-window rate limits in the Django cache (shared by every worker), for the token endpoints
that check no secret: code e-mails and anonymous device tokens. Passwords and codes are counted by
the one sign-in gate, `masthead.accounts.signin_gate`, like every other door.

A limit is "count per seconds". Keys are hashed so e-mail addresses never sit in the cache in clear.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache
from django.http import HttpRequest

from masthead.api.errors import ApiError
from masthead.core.redis_cache import CacheUnavailable

# scope -> (requests, window in seconds)
LIMITS: dict[str, tuple[int, int]] = {
    "code_request_ip": (10, 3600),
    "code_request_email": (3, 600),
    "device_ip": (30, 3600),  # anonymous device tokens per client address
}


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _cache_key(scope: str, key: str, window: int) -> str:
    digest = hashlib.sha256(key.lower().encode()).hexdigest()[:32]
    return f"api-throttle:{scope}:{digest}:{int(time.time()) // window}"


def check(scope: str, key: str) -> None:
    """Count one attempt; raise 429 once the window's allowance is used up."""
    limit, window = LIMITS[scope]
    cache_key = _cache_key(scope, key, window)
    try:
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # evicted between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    except CacheUnavailable:
        # A limit that cannot count is not "allowed": these doors send e-mail and mint tokens.
        raise ApiError(503, "unavailable", "Briefly unavailable. Try again shortly.", retry_after=5) from None
    if count > limit:
        retry_after = window - int(time.time()) % window
        raise ApiError(429, "rate_limited", "Too many attempts. Try again later.", retry_after=retry_after)
