"""Cache headers: personalised answers are never stored; public lists carry an ETag.

Both are applied around the finished response (`decorate_view`), so they also cover errors.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

PUBLIC_MAX_AGE = 60


def personalised(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return response

    return wrapper


def _matches(if_none_match: str, etag: str) -> bool:
    candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return "*" in candidates or etag in candidates


def public_list(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For lists that are the same for every reader (they never read the token or a cookie)."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = run(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        if _matches(request.headers.get("If-None-Match", ""), etag):
            response = HttpResponse(status=304)
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={PUBLIC_MAX_AGE}"
        return response

    return wrapper
