"""Headers every public page carries: the page may load nothing from anywhere but this site."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# No third-party script, font, image or frame on any reader page. JSON-LD blocks are data, not
# script, so they are not affected by script-src.
READER_CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(("/admin/", "/django-admin/", "/api/v1/docs")):
            response.headers.setdefault("Content-Security-Policy", READER_CSP)
        response.headers.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        return response
