"""The reader's choice of interface language: Django's `set_language`, posted from every footer.

The switcher is on every page, so it carries no CSRF token: rendering one would set a cookie on
every response, and no public page could be kept for anonymous readers
(`masthead.core.page_cache`). What a forged post could do is switch a reader's interface language
(and the language of their e-mails) and nothing else (`set_language` only redirects to this site);
the browser's own account of where the post came from (`Sec-Fetch-Site`, `Origin`) refuses even
that.

A signed-in reader's choice is also kept on the account: the e-mails we send them are written in it.

The reader lands on the page they came from in the language they chose ("/politics/" →
"/ja/politics/"): public pages name their language in the URL (`masthead.core.language_urls`),
and the choice, kept in the language cookie, sends plain URLs to the chosen version from then on.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseForbidden
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from masthead.core.language_urls import Kind, kind_of_path, language_version, split_language


def _posted_from_elsewhere(request: HttpRequest) -> bool:
    if request.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    # "null" is what browsers send from sandboxed frames and some redirects: not our page.
    return origin is not None and urlsplit(origin).netloc.lower() != request.get_host().lower()


@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponseBase:
    if _posted_from_elsewhere(request):
        return HttpResponseForbidden("Choose the language from one of our pages.")
    response: HttpResponse = set_language(request)
    chosen = request.POST.get("language", "")
    if chosen in dict(settings.LANGUAGES) and check_for_language(chosen):
        _to_same_page_in(request, response, chosen)
        if request.user.is_authenticated:
            get_user_model().objects.filter(pk=request.user.pk).exclude(language=chosen).update(
                language=chosen
            )
    return response


def _to_same_page_in(request: HttpRequest, response: HttpResponse, language: str) -> None:
    # The address set_language returns to (`next`, else the Referer, if on this site); a public
    # page there gets its version in the chosen language, whichever version the reader was on.
    if response.status_code != 302:
        return
    came_from = _page_came_from(request)
    _code, path = split_language(urlsplit(came_from).path or "/")
    if kind_of_path(path) is Kind.VERSIONED:
        response["Location"] = language_version(came_from, language)


def _page_came_from(request: HttpRequest) -> str:
    for candidate in (request.POST.get("next", request.GET.get("next")), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            url=candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return str(candidate)
    return "/"
