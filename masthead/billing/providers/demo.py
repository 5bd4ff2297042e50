"""The demo provider: a local checkout page that completes at once, so the whole journey can be
tried and browser-tested without keys. Exists only when settings.MASTHEAD_DEMO is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

if TYPE_CHECKING:
    from masthead.billing.models import Subscription


class DemoProvider:
    name = "demo"

    def start_checkout(self, *, subscription: Subscription, success_url: str, cancel_url: str) -> str:
        return reverse("billing:demo_checkout", kwargs={"pk": subscription.pk})

    def manage_url(self, *, subscription: Subscription, return_url: str) -> str | None:
        return None  # the account page cancels and resumes directly

    def set_cancel_at_period_end(self, *, subscription: Subscription, cancel: bool) -> None:
        from masthead.billing.services import set_local_cancel_at_period_end

        set_local_cancel_at_period_end(subscription=subscription, cancel=cancel)

    def forget_customer(self, *, customer_id: str) -> None:
        return None
