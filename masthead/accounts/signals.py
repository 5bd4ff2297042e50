"""A finished password reset proves the reader holds the mailbox: let them sign in at once
rather than wait out a lock an attacker's guesses may have set (allauth does the same for its
own counters)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver

from masthead.accounts import signin_gate


@receiver(password_reset)
def _unlock_after_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    addresses = {user.email, *EmailAddress.objects.filter(user_id=user.pk).values_list("email", flat=True)}
    for address in addresses:
        if address:
            signin_gate.forget(account=address)
