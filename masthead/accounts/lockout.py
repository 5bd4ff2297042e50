"""What a refused sign-in looks like: the site's own page (or the API's JSON error), 429.

Every door marks a refusal on the request (`signin_gate.reserve_for`); this middleware turns
whatever the door rendered — a form that says "wrong password", a redirect — into the one
lockout answer, so no door needs a template of its own and none answers 500 or a stock page.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from masthead.accounts import signin_gate
from masthead.accounts.page_password import PAGE_PASSWORD
from masthead.api.errors import error_response

REFUSED_MESSAGES = {
    signin_gate.FAILED_SIGN_IN: gettext_lazy(
        "Too many failed sign-ins for this account or from this address. Try again later."
    ),
    signin_gate.RESET_REQUEST: gettext_lazy(
        "Too many password reset requests for this account or from this address. Try again later."
    ),
    PAGE_PASSWORD: gettext_lazy("Too many wrong page passwords from this address. Try again later."),
}


def lockout_response(request: HttpRequest, refused: signin_gate.SignInRefused) -> HttpResponse:
    if request.path.startswith("/api/"):
        response: HttpResponse = error_response(
            429, "rate_limited", str(REFUSED_MESSAGES[refused.kind]), Retry_After=str(refused.retry_after)
        )
        return response
    response = render(
        request,
        "accounts/signin_refused.html",
        {"kind": refused.kind, "minutes": max(1, math.ceil(refused.retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(refused.retry_after)
    response["Cache-Control"] = "private, no-store"
    return response


class SignInLockoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        refused = signin_gate.refusal_of(request)
        if refused is None or response.status_code == 429:
            return response
        return lockout_response(request, refused)
