"""/api/v1/ (the apps API) and the account page's "sign this device out" form.

Wagtail's own API (/api/v2/) is deliberately not mounted: it would serve page bodies without the
paywall.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, path, re_path

from masthead.api import views
from masthead.api.errors import error_response
from masthead.api.main import api

MAX_BODY_BYTES = 64 * 1024

app_name = "api"


def _body_too_large(request: HttpRequest) -> bool:
    # Django reads exactly Content-Length bytes of a body (none without the header), so the
    # declared length is the whole story.
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return False


def bounded_body(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if _body_too_large(request):
            return error_response(
                413, "payload_too_large", f"Request bodies are limited to {MAX_BODY_BYTES // 1024} KB."
            )
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            # Django's 405 is plain text; apps get the same JSON shape as every other error.
            return error_response(
                405,
                "method_not_allowed",
                "This endpoint does not accept that method.",
                Allow=response["Allow"],
            )
        return response

    return wrapper


def _bounded(patterns: list[Any]) -> list[Any]:
    return [
        URLPattern(p.pattern, bounded_body(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]


api_patterns, api_app_name, api_namespace = api.urls

urlpatterns = [
    path("api/v1/", (_bounded(api_patterns), api_app_name, api_namespace)),
    re_path(r"^api/v1/", views.api_not_found),
    path("account/devices/<int:device_id>/sign-out/", views.sign_out_device, name="sign_out_device"),
]
