"""Every API error is JSON `{code, message}` with a stable, documented `code`."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from masthead.core import outages

logger = logging.getLogger(__name__)

# The codes an app may branch on. Adding one is fine; renaming one breaks apps.
CODES = {
    "bad_request": 400,
    "unauthorized": 401,
    "invalid_credentials": 401,
    "invalid_code": 401,
    "forbidden": 403,
    "account_required": 403,
    "email_unverified": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "payload_too_large": 413,
    "invalid_request": 422,
    "invalid_cursor": 422,
    "rate_limited": 429,
    "server_error": 500,
    "meter_unavailable": 503,
    "unavailable": 503,  # a dependency (database, cache counter) is briefly down; see Retry-After
}


class ErrorOut(Schema):
    code: str
    message: str


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, *, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


def error_response(status: int, code: str, message: str, **headers: str) -> JsonResponse:
    response = JsonResponse({"code": code, "message": message}, status=status)
    response["Cache-Control"] = "private, no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for error in errors[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg", "invalid")))
    return "; ".join(parts) or "The request is not valid."


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after is not None else {}
        return error_response(exc.status, exc.code, exc.message, **headers)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(422, "invalid_request", _validation_message(exc.errors))

    @api.exception_handler(AuthenticationError)
    def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_response(
            401, "unauthorized", "A valid bearer token is required.", WWW_Authenticate="Bearer"
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 429: "rate_limited"}
        return error_response(exc.status_code, code.get(exc.status_code, "bad_request"), str(exc))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(404, "not_found", "Not found.")

    @api.exception_handler(Exception)
    def on_server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        if outages.is_outage(exc):
            logger.warning("API request to %s met an outage: %s", request.path, exc)
            return outages.unavailable_json()
        logger.exception("API error on %s", request.path)
        return error_response(500, "server_error", "Something went wrong on our side.")
