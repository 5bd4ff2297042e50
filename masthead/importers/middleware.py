"""Old WordPress addresses by id (`/?p=123`, `/?page_id=45`) sent to the imported page.

Wagtail's redirects answer only addresses that would otherwise be a 404, and `/?p=123` is the
front page, so these are looked up here, before the front page (or its kept copy) is served.
Only requests to the site root carrying one of these parameters pay for the lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect, HttpResponseRedirect

OLD_ID_PARAMETERS = ("p", "page_id")
ROOT_PATHS = ("/", "/index.php")


class OldIdRedirectMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.path in ROOT_PATHS:
            for name in OLD_ID_PARAMETERS:
                value = request.GET.get(name, "")
                if value.isdigit():
                    response = self._redirect(f"/?{name}={value}")
                    if response is not None:
                        return response
        return self.get_response(request)

    @staticmethod
    def _redirect(old: str) -> HttpResponseBase | None:
        from wagtail.contrib.redirects.models import Redirect

        redirect = (
            Redirect.objects.filter(old_path=Redirect.normalise_path(old), site__isnull=True)
            .select_related("redirect_page")
            .first()
        )
        if redirect is None or not redirect.link:
            return None
        response_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
        return response_class(redirect.link)
