"""Readers' newsletter pages: /newsletters/ (choose, or sign up by e-mail), the confirmation link,
the choices saved from /account/, and the web archive of sent issues."""

from __future__ import annotations

from typing import Any

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from masthead.access.services import account_reader_kind
from masthead.newsletters.archive import issue_page_context, sent_issues
from masthead.newsletters.forms import (
    BadSignupLink,
    SignupForm,
    confirm_signup,
    newsletter_choices,
    read_signup_token,
    save_choices,
    send_signup_confirmation,
)
from masthead.newsletters.models import Newsletter

# The session remembers which address this browser asked for, so the browser that signed up
# (and only that one) is signed in when the reader confirms a new account.
SIGNUP_SESSION_KEY = "newsletters_signup_email"
# allauth's rate limits (ACCOUNT_RATE_LIMITS["newsletter_signup"]): per client address and per
# e-mail address, like every other form that sends e-mail.
RATE_LIMIT_ACTION = "newsletter_signup"
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def _private(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def newsletters_page(request: HttpRequest) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    kind = account_reader_kind(request)
    form = SignupForm(request.POST if request.method == "POST" and user is None else None)
    status = 200
    if request.method == "POST":
        if user is not None:
            save_choices(
                user=user, kind=kind, chosen_slugs=request.POST.getlist("newsletter"), source="public_page"
            )
            messages.success(request, _("Your newsletter choices are saved."))
            return redirect("newsletters:index")
        if form.is_valid():
            return _sign_up(request, form)
        status = 400
    context = {
        "choices": newsletter_choices(user=user, kind=kind),
        "form": form,
        "signed_in": user is not None,
    }
    return render(request, "newsletters/index.html", context, status=status)


def _sign_up(request: HttpRequest, form: SignupForm) -> HttpResponse:
    email = form.cleaned_data["email"]
    slugs = list(form.cleaned_data["newsletters"])
    if not ratelimit.consume(request, action=f"{RATE_LIMIT_ACTION}_ip"):
        messages.error(
            request, _("Too many sign-ups from your network just now. Please try again in a few minutes.")
        )
        response = render(
            request,
            "newsletters/index.html",
            {"choices": newsletter_choices(user=None, kind=account_reader_kind(request)), "form": form},
            status=429,
        )
        response["Retry-After"] = "60"
        return response
    # A second request for the same address within the window sends nothing more, and says the
    # same thing: the first link is still on its way.
    if ratelimit.consume(request, action=f"{RATE_LIMIT_ACTION}_address", key=email):
        send_signup_confirmation(request=request, email=email, slugs=slugs)
    request.session[SIGNUP_SESSION_KEY] = email
    messages.success(
        request,
        _(
            "Almost done: we have e-mailed a link to %(email)s. Follow it to confirm your newsletters; "
            "nothing is sent until you do."
        )
        % {"email": email},
    )
    return redirect("newsletters:index")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (so a mail scanner that opens links subscribes nobody); POST confirms."""
    try:
        signup = read_signup_token(token)
    except BadSignupLink as bad:
        return render(
            request, "newsletters/confirm.html", {"bad_link": True, "expired": bad.expired}, status=400
        )
    if request.method != "POST":
        names = [n.name for n in Newsletter.objects.filter(is_active=True, slug__in=signup.slugs)]
        return render(request, "newsletters/confirm.html", {"signup": signup, "newsletter_names": names})

    confirmation = confirm_signup(signup)
    same_browser = request.session.get(SIGNUP_SESSION_KEY) == signup.email
    if confirmation.created and same_browser and not request.user.is_authenticated:
        login(request, confirmation.reader, backend=LOGIN_BACKEND)
    request.session.pop(SIGNUP_SESSION_KEY, None)
    names = ", ".join(n.name for n in confirmation.joined)
    if names:
        messages.success(
            request, _("Confirmed: %(email)s receives %(names)s.") % {"email": signup.email, "names": names}
        )
    else:
        messages.info(request, _("Your address is confirmed."))
    return redirect("accounts:dashboard" if request.user.is_authenticated else "newsletters:index")


@login_required
@require_POST
def save_account_choices(request: HttpRequest) -> HttpResponse:
    """The choices component on /account/ posts here and returns there."""
    save_choices(
        user=request.user,  # type: ignore[arg-type]
        kind=account_reader_kind(request),
        chosen_slugs=request.POST.getlist("newsletter"),
        source="account",
    )
    messages.success(request, _("Your newsletter choices are saved."))
    target = request.POST.get("next") or reverse("accounts:dashboard")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:dashboard")
    return redirect(target)


def archive(request: HttpRequest, slug: str) -> HttpResponseBase:
    newsletter = get_object_or_404(Newsletter, slug=slug, is_active=True)
    context = {"newsletter": newsletter, "issues": sent_issues(newsletter)}
    return render(request, "newsletters/archive.html", context)


def issue(request: HttpRequest, slug: str, issue_ref: str) -> HttpResponseBase:
    newsletter = get_object_or_404(Newsletter, slug=slug, is_active=True)
    found = sent_issues(newsletter).filter(pk=int(issue_ref)).first() if issue_ref.isdigit() else None
    if found is None:
        raise Http404
    context: dict[str, Any] = {"newsletter": newsletter, "issue": found}
    context.update(issue_page_context(request=request, issue=found))
    response = render(request, "newsletters/issue.html", context)
    finalize = context.get("finalize")
    return finalize(response) if finalize else _private(response)
