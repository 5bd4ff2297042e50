"""One small interface for every way a reader can pay (or be granted access)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from masthead.billing.models import DuplicatePayment, Subscription


class CheckoutUnavailable(Exception):
    """The provider cannot sell this plan or offer right now (e.g. no Stripe price configured)."""


@dataclass(frozen=True)
class RefundReceipt:
    """What the provider gave back for a duplicate subscription."""

    amount_minor: int
    currency: str
    refund_ids: tuple[str, ...]


class PaymentProvider(Protocol):
    name: str

    def start_checkout(self, *, subscription: Subscription, success_url: str, cancel_url: str) -> str:
        """Begin paying for `subscription` (status incomplete); return where to send the reader."""
        ...

    def manage_url(self, *, subscription: Subscription, return_url: str) -> str | None:
        """A page where the reader changes the card or cancels, or None when our account page does it."""
        ...

    def set_cancel_at_period_end(self, *, subscription: Subscription, cancel: bool) -> None:
        """Cancel at the end of the paid period (or undo that), and record the new state."""
        ...

    def forget_customer(self, *, customer_id: str) -> None:
        """Ask the provider to delete the customer (account deletion)."""
        ...

    def refund_duplicate(self, *, duplicate: DuplicatePayment) -> RefundReceipt:
        """Cancel the duplicate's subscription at once and refund every payment it took.

        Called again after a failure or a crash, it must neither cancel nor refund twice.
        """
        ...


def default_provider_name() -> str:
    """Stripe when keys are configured; the demo provider in demo mode without keys."""
    configured = getattr(settings, "MASTHEAD_PAYMENT_PROVIDER", "")
    if configured:
        return str(configured)
    if settings.MASTHEAD_DEMO and not settings.STRIPE_SECRET_KEY:
        return "demo"
    return "stripe"


def get_provider(name: str) -> PaymentProvider:
    if name == "stripe":
        from masthead.billing.providers.stripe import StripeProvider

        return StripeProvider()
    if name == "manual":
        from masthead.billing.providers.manual import ManualProvider

        return ManualProvider()
    if name == "demo":
        if not settings.MASTHEAD_DEMO:
            # Belt and braces: production settings already refuse MASTHEAD_DEMO.
            raise ImproperlyConfigured("The demo payment provider only exists in demo mode.")
        from masthead.billing.providers.demo import DemoProvider

        return DemoProvider()
    raise ImproperlyConfigured(f"Unknown payment provider: {name!r}")
