"""The one sign-in gate: every door that checks a password or a code counts its failures here.

The doors: allauth's password login and login by code, Wagtail's admin login and its front-end
login (`/_util/login/`), the Django admin, the API's password token and e-mailed-code endpoints,
and the password reset requests of allauth and the Wagtail admin. The password doors all call
Django's `authenticate`, so they pass through `SignInGateBackend`; the code doors and the reset
forms call `reserve()` themselves.

How a try is counted, so that the limit holds exactly whichever worker answers:

1. Before the password or code is checked, the try *reserves* one unit of the allowance of the
   account and of the client address, each with one conditional upsert in the shared database
   ("add one unless the window's allowance is used up"). Two workers cannot both take the last
   unit: the statement holds the row (PostgreSQL) or the write lock (SQLite) while it decides.
2. A try that finds the allowance used up is refused without checking anything — so a locked
   account cannot sign in, even with the right password or code.
3. A right password or code gives its units back; a wrong one keeps them.

A window starts with the first counted failure and lasts `window` seconds; when it is over the
count starts again from zero. django-axes (named in DESIGN.md) checks the count and records the
failure in separate steps, so parallel guesses that arrive while the count is one short of the
limit are all checked; it also has one limit for account and address alike.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.backends import BaseBackend, ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from masthead.accounts.models import SignInCount, User

FAILED_SIGN_IN = "signin"
RESET_REQUEST = "reset"


@dataclass(frozen=True)
class Allowance:
    per_account: int
    per_address: int
    window: timedelta


def allowance(kind: str) -> Allowance:
    limits = settings.MASTHEAD_SIGNIN_LIMITS[kind]
    return Allowance(
        per_account=int(limits["per_account"]),
        per_address=int(limits["per_address"]),
        window=timedelta(seconds=int(limits["window_seconds"])),
    )


class SignInRefused(PermissionDenied):
    """The allowance of this account or address is used up; nothing was checked."""

    def __init__(self, *, kind: str, retry_after: int) -> None:
        super().__init__(f"too many {kind} attempts; retry after {retry_after} s")
        self.kind = kind
        self.retry_after = retry_after


@dataclass
class Reservation:
    """The units one try took. `release()` gives them back when the password or code was right."""

    subjects: list[str] = field(default_factory=list)

    def release(self) -> None:
        for subject in self.subjects:
            _give_back(subject)
        self.subjects = []


def normalise_account(login: str) -> str:
    return login.strip().lower()


def address_key(raw: str) -> str | None:
    """How a client address is counted: IPv4 as is, IPv6 by its /64, because one IPv6 host
    usually holds a whole /64 and could otherwise rotate addresses. None if it is no address."""
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return None
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def address_of(request: HttpRequest | None) -> str | None:
    # The connecting address only: X-Forwarded-For is written by the client unless a trusted
    # proxy rewrites it (behind a proxy, let the proxy set REMOTE_ADDR).
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR", "")
    return address_key(raw) or raw or None


def _subject(kind: str, what: str, value: str) -> str:
    digest = salted_hmac("masthead.signin-gate", f"{what}:{value}", algorithm="sha256").hexdigest()
    return f"{kind}:{what}:{digest[:48]}"


def account_subject(kind: str, account: str) -> str:
    return _subject(kind, "account", normalise_account(account))


def address_subject(kind: str, address: str) -> str:
    return _subject(kind, "address", address)


def _db_time(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def _take(subject: str, *, limit: int, window: timedelta, now: datetime) -> bool:
    """Add one to the subject's count unless its window's allowance is used up, in one statement."""
    table = connection.ops.quote_name(SignInCount._meta.db_table)
    expired = _db_time(now - window)
    sql = f"""
        INSERT INTO {table} (subject, window_started_at, count) VALUES (%s, %s, 1)
        ON CONFLICT (subject) DO UPDATE SET
            count = CASE WHEN {table}.window_started_at <= %s THEN 1 ELSE {table}.count + 1 END,
            window_started_at = CASE WHEN {table}.window_started_at <= %s
                                     THEN excluded.window_started_at ELSE {table}.window_started_at END
        WHERE {table}.window_started_at <= %s OR {table}.count < %s
        RETURNING count
    """  # noqa: S608 - the table name comes from the model, every value is a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [subject, _db_time(now), expired, expired, expired, limit])
        return cursor.fetchone() is not None


def _give_back(subject: str) -> None:
    SignInCount.objects.filter(subject=subject, count__gt=0).update(count=F("count") - 1)


def _retry_after(subject: str, *, window: timedelta, now: datetime) -> int:
    started = SignInCount.objects.filter(subject=subject).values_list("window_started_at", flat=True).first()
    if started is None:
        return 1
    return max(1, math.ceil((started + window - now).total_seconds()))


def reserve(*, kind: str, account: str | None, address: str | None) -> Reservation:
    """Take one try from the address's and the account's allowance, or raise SignInRefused.

    The address is taken first: a refused address leaves the account's count alone, and a
    refused account gives the address its unit back (nothing was checked).
    """
    limits = allowance(kind)
    now = timezone.now()
    reservation = Reservation()
    wanted = []
    if address:
        wanted.append((address_subject(kind, address), limits.per_address))
    if account:
        wanted.append((account_subject(kind, account), limits.per_account))
    for subject, limit in wanted:
        if not _take(subject, limit=limit, window=limits.window, now=now):
            reservation.release()
            raise SignInRefused(kind=kind, retry_after=_retry_after(subject, window=limits.window, now=now))
        reservation.subjects.append(subject)
    # Rows whose window is over hold nothing any more: keep the table the size of current trouble.
    stale = now - limits.window
    SignInCount.objects.filter(subject__startswith=f"{kind}:", window_started_at__lt=stale).delete()
    return reservation


def reserve_for(request: HttpRequest | None, *, kind: str, account: str | None) -> Reservation:
    """`reserve()` for a request; a refusal is remembered on the request for the lockout page."""
    try:
        return reserve(kind=kind, account=account, address=address_of(request))
    except SignInRefused as refused:
        if request is not None:
            request.signin_refused = refused  # type: ignore[attr-defined]
        raise


def forget(*, kind: str = FAILED_SIGN_IN, account: str | None = None, address: str | None = None) -> int:
    """Drop the count of an account or an address (a finished password reset, or staff unlocking
    it with `manage.py unlock_signin`). Returns how many counts were dropped."""
    subjects = []
    if account:
        subjects.append(account_subject(kind, account))
    if address:
        subjects.append(address_subject(kind, address))
    deleted, _by_model = SignInCount.objects.filter(subject__in=subjects).delete()
    return deleted


def refusal_of(request: HttpRequest) -> SignInRefused | None:
    return getattr(request, "signin_refused", None)


def account_from_credentials(credentials: dict[str, object]) -> str | None:
    """allauth passes `email`, Django's and Wagtail's login forms `username` (our USERNAME_FIELD is
    the e-mail address), the API `email`: all name the same account, case-insensitively."""
    for name in ("email", "username", "login"):
        value = credentials.get(name)
        if isinstance(value, str) and value.strip():
            return normalise_account(value)
    return None


class SignInGateBackend(BaseBackend):
    """First in AUTHENTICATION_BACKENDS: every password check passes through the gate.

    It reserves the try, asks the backends listed after it to check the password, gives the try
    back on success, and otherwise raises PermissionDenied so Django stops there (one check per
    try, and `user_login_failed` is still sent).
    """

    def authenticate(self, request: HttpRequest | None, **credentials: Any) -> User | None:
        password = credentials.get("password")
        account = account_from_credentials(credentials)
        if not password or account is None:
            return None
        reservation = reserve_for(request, kind=FAILED_SIGN_IN, account=account)
        for backend in _checking_backends():
            try:
                user = backend.authenticate(request, **credentials)
            except PermissionDenied:
                break
            if user is not None:
                reservation.release()
                return user
        raise PermissionDenied("wrong credentials")

    def get_user(self, user_id: Any) -> User | None:
        return ModelBackend().get_user(user_id)


def _checking_backends() -> list[BaseBackend]:
    own = f"{SignInGateBackend.__module__}.{SignInGateBackend.__qualname__}"
    return [load_backend(path) for path in settings.AUTHENTICATION_BACKENDS if path != own]
