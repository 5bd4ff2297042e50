"""The apps API, version 1: one NinjaAPI, mounted at /api/v1/ by `masthead.api.urls`."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from masthead.api.errors import install_error_handlers
from masthead.api.routers import auth, content, offers, reader

# Swagger UI is served from this site's static files (ninja is an installed app), never a CDN.
# It sets inline styles, so the page gets its own policy in place of the reader pages' one.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

DESCRIPTION = """
JSON API for the publication's phone and tablet apps. Every article read goes through the same
paywall and the same meter as the web site.

* Authenticate with `Authorization: Bearer <token>` (from `/auth/token`, `/auth/code/verify`,
  or `/auth/device` for an anonymous device).
* Errors are `{"code": ..., "message": ...}`; branch on `code`, show `message`.
* Unknown query parameters are ignored. Request bodies are limited to 64 KB (413).
"""


class LocalSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        response = super().render_page(request, api, **kwargs)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


api = NinjaAPI(
    title="Masthead apps API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:api-v1",  # nested in the "api" namespace of masthead.api.urls
    docs=LocalSwagger(),
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("", auth.router)
api.add_router("", content.router)
api.add_router("", reader.router)
api.add_router("", offers.router)
