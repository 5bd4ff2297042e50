"""Staff grants made in the admin: print subscribers, corporate deals, complimentary access.

Nothing is charged here; staff record the invoice or agreement in the subscription's note.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from masthead.billing.providers.base import RefundReceipt

if TYPE_CHECKING:
    from masthead.billing.models import DuplicatePayment, Subscription


class ManualProvider:
    name = "manual"

    def start_checkout(self, *, subscription: Subscription, success_url: str, cancel_url: str) -> str:
        from masthead.billing.providers.base import CheckoutUnavailable

        raise CheckoutUnavailable("Staff grants are made in the admin, not through checkout.")

    def manage_url(self, *, subscription: Subscription, return_url: str) -> str | None:
        return None

    def set_cancel_at_period_end(self, *, subscription: Subscription, cancel: bool) -> None:
        from masthead.billing.services import set_local_cancel_at_period_end

        set_local_cancel_at_period_end(subscription=subscription, cancel=cancel)

    def forget_customer(self, *, customer_id: str) -> None:
        return None

    def refund_duplicate(self, *, duplicate: DuplicatePayment) -> RefundReceipt:
        # Staff grants are not charged through us: ending the row locally is all there is.
        return RefundReceipt(amount_minor=0, currency=duplicate.currency, refund_ids=())
