"""Headers every public page carries: the page may load nothing from anywhere but this site.
And the methods no address here answers: TRACE and TRACK (cross-site tracing)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

# No third-party script, font, image or frame on any reader page. JSON-LD blocks are data, not
# script, so they are not affected by script-src.
READER_CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)
# An editor's preview (Wagtail renders it through this stack with `request.is_preview` set) is
# shown in the admin's own preview panel, an iframe on this site: the same policy, framable by
# this site only. Reader pages keep `frame-ancestors 'none'`.
PREVIEW_CSP = READER_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")

# TRACE echoes the request back, cookies and Authorization included; TRACK is IIS's alias. Some
# views answer any method (robots.txt did, with 200), so they are refused here, before any view.
REFUSED_METHODS = frozenset({"TRACE", "TRACK"})
# The methods the site serves at all (pages and forms; the API also signs apps out with DELETE).
# A given address may accept fewer: its own 405 says which.
PAGE_METHODS = "GET, HEAD, POST"
API_METHODS = "GET, HEAD, POST, DELETE"


def refuse_method(request: HttpRequest) -> HttpResponse | None:
    """A 405 that repeats nothing of the request; None for any other method (the view decides)."""
    if request.method not in REFUSED_METHODS:
        return None
    if request.path.startswith("/api/"):
        # The API's error shape (masthead.api.errors), which core cannot import.
        response: HttpResponse = JsonResponse(
            {"code": "method_not_allowed", "message": "This endpoint does not accept that method."},
            status=405,
        )
        response["Allow"] = API_METHODS
    else:
        response = HttpResponse("Method not allowed.\n", status=405, content_type="text/plain; charset=utf-8")
        response["Allow"] = PAGE_METHODS
    response["Cache-Control"] = "private, no-store"
    return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = refuse_method(request) or self.get_response(request)
        if getattr(request, "is_preview", False):
            response.headers["Content-Security-Policy"] = PREVIEW_CSP
            # XFrameOptionsMiddleware (inside this one) said DENY; the panel needs SAMEORIGIN.
            response.headers["X-Frame-Options"] = "SAMEORIGIN"
        elif not request.path.startswith(("/admin/", "/django-admin/", "/api/v1/docs")):
            response.headers.setdefault("Content-Security-Policy", READER_CSP)
        response.headers.setdefault("Permissions-Policy", "interest-cohort=(), browsing-topics=()")
        return response
