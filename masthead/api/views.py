"""Plain Django views next to the API: a JSON 404 for unknown API paths, and the account page's
"sign this device out" form target."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masthead.api.devices import revoke_device
from masthead.api.errors import error_response


def api_not_found(request: HttpRequest) -> HttpResponse:
    return error_response(404, "not_found", "There is no such API endpoint.")


@require_POST
@login_required
def sign_out_device(request: HttpRequest, device_id: int) -> HttpResponse:
    if revoke_device(user=request.user, device_id=device_id):
        messages.success(request, _("The device is signed out."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    return HttpResponseRedirect(back)
