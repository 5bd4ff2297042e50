"""HTTP for subscribing: the offers page, checkout hand-off, success pages, the Stripe webhook."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from masthead.access.paywall_config import paywall_config
from masthead.accounts.models import User
from masthead.billing.models import Provider, Subscription
from masthead.billing.providers.base import CheckoutUnavailable, default_provider_name, get_provider
from masthead.billing.selectors import (
    active_plans,
    current_subscription,
    offer_is_open_to,
    offer_is_withheld,
    offer_price_text,
    offers_for_reader,
    plan_price_text,
)
from masthead.billing.services import complete_demo_checkout, link_checkout_session, start_checkout
from masthead.billing.webhooks import BadSignature, UnreadableEvent, receive_stripe_event
from masthead.core.site_url import absolute_url

logger = logging.getLogger(__name__)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@never_cache
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _start_checkout(request)
    user_id = request.user.pk if request.user.is_authenticated else None
    offers = [
        {
            "offer": offer,
            "price_text": offer_price_text(offer),
            "open": offer_is_open_to(offer, user_id=user_id),
        }
        for offer in offers_for_reader(request=request)
    ]
    plans = [{"plan": plan, "price_text": plan_price_text(plan)} for plan in active_plans()]
    context = {
        "offers": offers,
        "plans": plans,
        "time_zone": paywall_config(request=request).time_zone,
        "subscription": current_subscription(user_id=user_id) if user_id else None,
    }
    return render(request, "billing/subscribe.html", context)


def _start_checkout(request: HttpRequest) -> HttpResponse:
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    if not request.user.is_authenticated:
        # Subscribing needs an account; come back to the offers afterwards.
        query = urlencode({"next": reverse("billing:subscribe")})
        return redirect(f"{reverse('account_signup')}?{query}")
    assert isinstance(request.user, User)
    # Only ids are read from the form: price, quantity and mode come from the catalogue.
    plan_id = _int_or_none(request.POST.get("plan"))
    offer_id = _int_or_none(request.POST.get("offer"))
    if plan_id is None and offer_id is None:
        messages.error(request, _("Choose a plan or an offer."))
        return redirect("billing:subscribe")
    if offer_id is not None and offer_is_withheld(request=request, offer_id=offer_id):
        messages.error(request, _("This offer is not open to you; the offers below are."))
        return redirect("billing:subscribe")
    provider = default_provider_name()
    # Back to the site URL, not the host this request came on (masthead.core.site_url).
    success = absolute_url(reverse("billing:checkout_success")) + "?session_id={CHECKOUT_SESSION_ID}"
    try:
        target = start_checkout(
            user=request.user,
            plan_id=plan_id or 0,
            offer_id=offer_id,
            provider_name=provider,
            success_url=success,
            cancel_url=absolute_url(reverse("billing:subscribe")),
        )
    except CheckoutUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("billing:subscribe")
    except stripe.StripeError:
        logger.exception("Stripe refused to start a checkout")
        messages.error(request, _("Payments are unavailable right now. Please try again in a few minutes."))
        return redirect("billing:subscribe")
    return HttpResponseRedirect(target)


@never_cache
@login_required
def checkout_success(request: HttpRequest) -> HttpResponse:
    """Stripe sends the reader here; we confirm the session ourselves, so access does not wait
    for the webhook."""
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    from masthead.billing.providers.stripe import StripeProvider

    session_id = request.GET.get("session_id", "")
    if not session_id.startswith("cs_"):
        raise Http404
    try:
        session = StripeProvider().retrieve_checkout(session_id=session_id)
    except (stripe.StripeError, CheckoutUnavailable) as exc:
        raise Http404 from exc
    reference = str(session.get("client_reference_id") or "")
    assert isinstance(request.user, User)
    mine = Subscription.objects.filter(user_id=request.user.pk, provider=Provider.STRIPE)
    if not reference.isdigit() or not mine.filter(pk=int(reference)).exists():
        raise Http404
    if session.get("status") == "complete":
        link_checkout_session(session=session, observed_at=None)
    subscription = mine.select_related("plan", "offer").get(pk=int(reference))
    return _welcome(request, subscription)


def _welcome(request: HttpRequest, subscription: Subscription) -> HttpResponse:
    context = {"subscription": subscription, "time_zone": paywall_config(request=request).time_zone}
    return render(request, "billing/welcome.html", context)


def _own_demo_subscription(request: HttpRequest, pk: int) -> Subscription:
    if not settings.MASTHEAD_DEMO:
        raise Http404
    return get_object_or_404(
        Subscription.objects.select_related("plan", "offer"),
        pk=pk,
        user_id=request.user.pk,
        provider=Provider.DEMO,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def demo_checkout(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = _own_demo_subscription(request, pk)
    if request.method == "POST":
        complete_demo_checkout(subscription=subscription, now=timezone.now())
        return redirect("billing:demo_welcome", pk=subscription.pk)
    price_text = (
        offer_price_text(subscription.offer) if subscription.offer else plan_price_text(subscription.plan)
    )
    return render(
        request, "billing/demo_checkout.html", {"subscription": subscription, "price_text": price_text}
    )


@never_cache
@login_required
def demo_welcome(request: HttpRequest, pk: int) -> HttpResponse:
    return _welcome(request, _own_demo_subscription(request, pk))


@login_required
@require_POST
def manage_billing(request: HttpRequest) -> HttpResponse:
    """The Stripe Billing Portal (card, invoices, cancel); other providers are managed on /account/."""
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    assert isinstance(request.user, User)
    subscription = current_subscription(user_id=request.user.pk)
    if subscription is not None:
        return_url = absolute_url(reverse("accounts:dashboard"))
        try:
            url = get_provider(subscription.provider).manage_url(
                subscription=subscription, return_url=return_url
            )
        except (stripe.StripeError, CheckoutUnavailable):
            logger.exception("Could not open the billing portal")
            messages.error(request, _("Billing management is unavailable right now."))
            url = None
        if url:
            return HttpResponseRedirect(url)
    return redirect("accounts:dashboard")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    try:
        result = receive_stripe_event(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except BadSignature:
        return JsonResponse({"error": "invalid signature"}, status=400)
    except UnreadableEvent as exc:
        return JsonResponse({"error": f"unreadable event: {exc}"}, status=400)
    return JsonResponse({"received": result.event_id, "duplicate": result.duplicate})
