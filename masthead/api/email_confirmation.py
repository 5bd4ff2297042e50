"""Registered-reader benefits start only once the reader has confirmed their e-mail address.

The web enforces it through allauth (`ACCOUNT_EMAIL_VERIFICATION = "mandatory"`: an unconfirmed
account is sent a link instead of being signed in). The app's password sign-in goes around
allauth, so it asks the same question here; an e-mailed code proves the address, as allauth's own
login by code does, so a code sign-in confirms it.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.base_user import AbstractBaseUser

from masthead.api.errors import ApiError


def refuse_unconfirmed(*, user: AbstractBaseUser) -> None:
    """403 `email_unverified` for an account whose address was never confirmed."""
    if not EmailAddress.objects.filter(user_id=user.pk, verified=True).exists():
        raise ApiError(
            403,
            "email_unverified",
            "Confirm your e-mail address first: open the link we sent when you signed up "
            "(signing in on the website sends a new one).",
        )


def confirm_by_code(*, user: AbstractBaseUser, email: str) -> None:
    """The code reached this address: mark it confirmed (adding it if the account had no row)."""
    if EmailAddress.objects.filter(user_id=user.pk, email__iexact=email).update(verified=True):
        return
    has_primary = EmailAddress.objects.filter(user_id=user.pk, primary=True).exists()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
