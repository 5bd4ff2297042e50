"""The reader's account: subscription, cancel, reading this period, e-mail choices, export, delete."""

from __future__ import annotations

import json
import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from masthead.access.paywall_config import paywall_config
from masthead.access.services import account_reader_kind
from masthead.accounts.models import User
from masthead.analytics.receivers import export_events
from masthead.api.devices import signed_in_devices
from masthead.billing.models import Provider, SubscriptionStatus
from masthead.billing.privacy import delete_reader_account, export_reader_data, reads_this_period
from masthead.billing.providers.base import CheckoutUnavailable
from masthead.billing.selectors import current_subscription
from masthead.billing.services import cancel_at_period_end
from masthead.billing.tasks import notify_subscription
from masthead.newsletters.forms import newsletter_choices
from masthead.newsletters.models import NewsletterSubscription

logger = logging.getLogger(__name__)


class PreferencesForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ["newsletter_opt_in", "billing_emails", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A post without a language (an older page, a script) keeps the one on the account.
        self.fields["language"].required = False
        # The newsletters are chosen one by one in their own form now (masthead.newsletters): a
        # post without the old all-or-nothing switch keeps it as it was.
        if self.is_bound and "newsletter_opt_in" not in self.data:
            del self.fields["newsletter_opt_in"]

    def clean_language(self) -> str:
        language: str = self.cleaned_data.get("language") or self.instance.language
        return language


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label=gettext_lazy("Your password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        return password


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@never_cache
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    subscription = current_subscription(user_id=user.pk)
    context = {
        "subscription": subscription,
        "is_current": subscription is not None
        and subscription.status not in (SubscriptionStatus.EXPIRED, SubscriptionStatus.INCOMPLETE),
        "uses_portal": subscription is not None and subscription.provider == Provider.STRIPE,
        "can_cancel": subscription is not None
        and subscription.provider != Provider.MANUAL
        and subscription.status
        in (SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE),
        "can_resume": subscription is not None
        and subscription.provider != Provider.MANUAL
        and subscription.status == SubscriptionStatus.CANCELED,
        "reads": reads_this_period(user_id=user.pk),
        "devices": signed_in_devices(user=user),
        "form": PreferencesForm(instance=user),
        "newsletter_choices": newsletter_choices(user=user, kind=account_reader_kind(request)),
        "time_zone": paywall_config(request=request).time_zone,
        "now": timezone.now(),
    }
    return render(request, "accounts/dashboard.html", context)


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST, instance=_user(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("Your e-mail choices are saved."))
    return redirect("accounts:dashboard")


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    import stripe  # lazily: the SDK costs ~20 MB in every worker that never pays

    subscription = current_subscription(user_id=_user(request).pk)
    resume = request.POST.get("resume") == "1"
    if subscription is not None and subscription.provider != Provider.MANUAL:
        try:
            cancel_at_period_end(subscription=subscription, cancel=not resume)
        except (stripe.StripeError, CheckoutUnavailable):
            logger.exception("Could not change cancellation for subscription %s", subscription.pk)
            messages.error(request, _("We could not reach our payment provider. Please try again shortly."))
            return redirect("accounts:dashboard")
        # The confirmation e-mail ("you keep access until …"); Stripe's own event also asks for it,
        # and it is sent once per cancellation whichever asks first.
        notify_subscription.enqueue(subscription_id=subscription.pk)
        if resume:
            messages.success(request, _("Your subscription will continue."))
        else:
            messages.success(
                request, _("Your subscription is canceled. You keep full access until the period ends.")
            )
    return redirect("accounts:dashboard")


@never_cache
@login_required
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    data = export_reader_data(user=user)
    data["newsletters"] = newsletter_export(user=user)
    data["analytics_events"] = export_events(user_id=user.pk)
    response = HttpResponse(json.dumps(data, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


def newsletter_export(*, user: User) -> list[dict[str, Any]]:
    """Every newsletter the reader chose, with when and where, and when they left it."""
    rows = (
        NewsletterSubscription.objects.filter(reader=user).select_related("newsletter").order_by("created_at")
    )
    return [
        {
            "newsletter": row.newsletter.name,
            "slug": row.newsletter.slug,
            "subscribed_at": row.created_at.isoformat(),
            "unsubscribed_at": row.unsubscribed_at.isoformat() if row.unsubscribed_at else None,
            "source": row.source,
        }
        for row in rows
    ]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        logout(request)
        delete_reader_account(user=user)
        return render(request, "accounts/deleted.html")
    return render(request, "accounts/delete.html", {"form": form})
