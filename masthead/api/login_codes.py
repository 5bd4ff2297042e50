"""Sign an app in with a six-digit code sent by e-mail.

allauth's login by code keeps its state in the browser session, which an app does not have, so
the API keeps its own: a keyed hash of the code, ten minutes to use it, five tries, one code at a
time. Whether an address has an account is never revealed: the request always answers the same.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.mail import send_mail
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from masthead.api.models import LoginCode

CODE_LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def _hash(*, email: str, code: str) -> str:
    return salted_hmac("masthead.api.login-code", f"{email}:{code}", algorithm="sha256").hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _active_user(email: str) -> AbstractBaseUser | None:
    user_model = get_user_model()
    return user_model.objects.filter(email__iexact=email, is_active=True).first()


def request_login_code(*, email: str) -> None:
    """E-mail a fresh code if the address belongs to an account; otherwise do nothing, silently."""
    email = normalise_email(email)
    if _active_user(email) is None:
        return
    code = f"{secrets.randbelow(1_000_000):06d}"
    LoginCode.objects.filter(email=email).delete()
    LoginCode.objects.create(
        email=email, code_hash=_hash(email=email, code=code), expires_at=timezone.now() + CODE_LIFETIME
    )
    send_mail(
        subject=_("Your sign-in code"),
        message=_("Your code to sign in to the app is %(code)s. It expires in 10 minutes.") % {"code": code},
        from_email=None,
        recipient_list=[email],
    )


def verify_login_code(*, email: str, code: str) -> AbstractBaseUser | None:
    """The account the code signs in, or None. A used, expired or exhausted code never works."""
    email = normalise_email(email)
    record = LoginCode.objects.filter(email=email, expires_at__gt=timezone.now()).first()
    if record is None or record.attempts >= MAX_ATTEMPTS:
        return None
    if not constant_time_compare(record.code_hash, _hash(email=email, code=code.strip())):
        LoginCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        return None
    # Single use: deleting first means a second request with the same code finds nothing.
    deleted, _unused = LoginCode.objects.filter(pk=record.pk).delete()
    if not deleted:
        return None
    return _active_user(email)
