"""The demo provider: a local checkout page that completes at once, so the whole journey can be
tried and browser-tested without keys. Exists only when settings.MASTHEAD_DEMO is on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from masthead.billing.providers.base import RefundReceipt

if TYPE_CHECKING:
    from masthead.billing.models import DuplicatePayment, Subscription


def first_charge_minor(subscription: Subscription) -> int:
    """What the demo "took" when the checkout completed: nothing for a trial, the introductory
    price for an offer, else one period of the plan."""
    if subscription.trial_end is not None:
        return 0
    # The terms copied when the checkout started, not the offer as it may have been edited since.
    if subscription.intro_price_minor is not None and subscription.intro_intervals:
        return subscription.intro_price_minor
    if subscription.price_minor is not None:
        return subscription.price_minor
    if subscription.offer is not None:
        return subscription.offer.intro_price_minor
    return subscription.plan.price_minor


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

    def refund_duplicate(self, *, duplicate: DuplicatePayment) -> RefundReceipt:
        # The demo's "payment" never left this database, so cancelling and refunding it is a
        # record too; the subscription row was already ended when the duplicate was found.
        subscription = duplicate.subscription
        amount = first_charge_minor(subscription) if subscription is not None else 0
        currency = subscription.plan.currency if subscription is not None else duplicate.currency
        refunds = (f"demo_re_{duplicate.pk}",) if amount else ()
        return RefundReceipt(amount_minor=amount, currency=currency, refund_ids=refunds)
