"""Bearer-token authentication for the apps API."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from masthead.api.errors import ApiError
from masthead.api.models import ApiToken
from masthead.api.tokens import resolve_token


class AppToken(HttpBearer):
    """Any app token: a signed-in account's or an anonymous device's. `request.auth` is the ApiToken."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return resolve_token(token=token, request=request)


def require_account(record: ApiToken) -> ApiToken:
    """Account-only endpoints answer 403 to an anonymous device token (it is valid, but has no account)."""
    if record.user_id is None:
        raise ApiError(403, "account_required", "Sign in to an account for this.")
    return record


app_token = AppToken()
