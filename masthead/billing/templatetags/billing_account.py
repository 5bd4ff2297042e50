"""The account page's billing parts that the accounts app does not need to know about."""

from __future__ import annotations

from typing import Any

from django import template

from masthead.billing.selectors import duplicate_payments_of

register = template.Library()


@register.inclusion_tag("billing/account_duplicates.html")
def duplicate_payments(user: Any) -> dict[str, Any]:
    """Second subscriptions we canceled for this reader, and the refunds."""
    if not getattr(user, "is_authenticated", False):
        return {"duplicates": []}
    return {"duplicates": duplicate_payments_of(user_id=user.pk)}
