"""Wagtail's password-protected pages: the one door that checks a password without an account.

Wagtail's own view (`/_util/authenticate_with_password/<restriction>/<page>/`) checks the page's
password as often as it is asked. Here every try first takes a unit of the sign-in gate's
"page password" allowance, per client address and per protected page, in the shared database; a
right password gives it back. Past the allowance the visitor gets the lockout page (429), and the
password is not checked at all. The per-page allowance is generous on purpose: a page password is
shared by many readers, and one visitor guessing must not lock out the others.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from wagtail import views as wagtail_views

from masthead.accounts import signin_gate

PAGE_PASSWORD = "page-password"  # noqa: S105 (the name of a gate allowance, not a password)


def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    if request.method != "POST":
        response: HttpResponse = wagtail_views.authenticate_with_password(
            request, page_view_restriction_id, page_id
        )
        return response
    try:
        reservation = signin_gate.reserve_for(
            request, kind=PAGE_PASSWORD, account=f"page-restriction-{page_view_restriction_id}"
        )
    except signin_gate.SignInRefused as refused:
        from masthead.accounts.lockout import lockout_response  # it names this module's allowance

        return lockout_response(request, refused)
    response = wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)
    if response.status_code == 302:  # Wagtail redirects only once the password was right
        reservation.release()
    return response
