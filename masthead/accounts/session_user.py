"""A signed-in reader's session, account and entitlements in two round trips to the shared cache,
and no query.

Django reads the session (one cache round trip), then the account's row (one query), then the
paywall reads its entitlements (one query). Here:

1. `SessionMiddleware` reads the session together with the site generation the request needs
   anyway (one `get_many`);
2. `AuthenticationMiddleware` reads the account and its entitlements together (one `get_many`),
   both kept per account in the shared cache by `masthead.access.reader_state` (tombstones on
   every change, keyed by the generation).

The account is kept without its password hash (and without the fields other code updates
without a signal, such as the e-mail language); what is kept instead is the session hash Django
derives from it, the same value every session of that account already holds. A session whose
hash does not match the kept one is handed to Django's own `get_user`, which reads the row and
signs the session out if the password changed: "sign out everywhere" after a password change
works as before, since the change is a `save()` and drops the kept account (a tombstone) at once.
A field left out is loaded from the database if a page reads it (Django's deferred fields), and a
`save()` of the kept account writes only the fields it holds.

Only when `MASTHEAD_READER_CACHE` is on (Redis as the cache and `cached_db` sessions); otherwise
both middlewares behave exactly like Django's.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.auth.middleware import auser
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.core.cache import cache, caches
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from masthead.access import reader_state
from masthead.core.generation import GENERATION_KEY, remember_generation

# Never kept: the password hash (the session hash stands in for it), and fields other code
# updates with a queryset update, which sends no signal (masthead.core.language: the footer's
# language switch). Reading one of them on a page costs a query; nothing stale is ever read.
NOT_KEPT = frozenset({"password", "language"})
# The backends whose get_user is ModelBackend's: the row by primary key, if the account is active.
MODEL_BACKENDS = frozenset(
    {
        "masthead.accounts.signin_gate.SignInGateBackend",
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    }
)

AccountRecord = tuple[tuple[Any, ...], str]  # (kept field values, session auth hash)


def _kept_fields() -> list[Any]:
    return [f for f in get_user_model()._meta.concrete_fields if f.attname not in NOT_KEPT]


def _load_account(user_id: int) -> AccountRecord | None:
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None:
        return None
    return tuple(getattr(user, f.attname) for f in _kept_fields()), user.get_session_auth_hash()


accounts: reader_state.AccountRecords[AccountRecord | None] = reader_state.AccountRecords(
    "account", _load_account
)


def _account_from(record: AccountRecord) -> Any:
    model = get_user_model()
    # The fields left out are deferred: read from the database if anything asks for them.
    return model.from_db("default", [f.attname for f in _kept_fields()], list(record[0]))


def get_user(request: HttpRequest) -> Any:
    """`django.contrib.auth.get_user`, with the account read from its kept record."""
    if not reader_state.enabled():
        return auth.get_user(request)
    session = request.session
    try:
        user_id = int(session[SESSION_KEY])
        backend_path = session[BACKEND_SESSION_KEY]
    except (KeyError, TypeError, ValueError):
        return auth.get_user(request)
    if backend_path not in MODEL_BACKENDS or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    record = _account_record(request, user_id)
    if record is None:
        return AnonymousUser()  # as ModelBackend: no such account
    session_hash = session.get(HASH_SESSION_KEY)
    if not session_hash or not constant_time_compare(session_hash, record[1]):
        # A changed password, or a session signed with a previous SECRET_KEY: Django decides
        # (signs it out, or re-signs it with the fallback key) from the database's row.
        return auth.get_user(request)
    user = _account_from(record)
    if not getattr(user, "is_active", True):
        return AnonymousUser()  # ModelBackend.user_can_authenticate
    return user


def _account_record(request: HttpRequest, user_id: int) -> AccountRecord | None:
    """The account's kept record, read in one round trip with its entitlements, which the paywall
    then finds on the request instead of asking again (masthead.access.services)."""
    account_key = accounts.key(user_id, _generation(request))
    entitlements_key = reader_state.entitlements.key(user_id, _generation(request))
    found = cache.get_many([account_key, entitlements_key])
    reader_state.remember_found(request, {entitlements_key: found.get(entitlements_key)})
    return accounts.from_found(user_id, key=account_key, found=found)


def active_account(request: HttpRequest, user_id: int) -> Any | None:
    """The account (as ModelBackend.get_user: None when missing or inactive) for a request that
    names it by other means than a session (an app token), from its kept record."""
    if not reader_state.enabled():
        user = get_user_model()._default_manager.filter(pk=user_id).first()
    else:
        record = _account_record(request, user_id)
        user = None if record is None else _account_from(record)
    return user if user is not None and getattr(user, "is_active", True) else None


def _generation(request: HttpRequest) -> int:
    from masthead.core.generation import current_generation

    return current_generation(request)


def _cached_user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_user(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        if not reader_state.enabled():
            super().process_request(request)
            return
        request.user = SimpleLazyObject(lambda: _cached_user(request))  # type: ignore[assignment]
        request.auser = partial(auser, request)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, reading a cached session in the same round trip as the site generation."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        session = request.session
        cache_key_prefix = getattr(session, "cache_key_prefix", None)
        if (
            not reader_state.enabled()
            or cache_key_prefix is None
            or session.session_key is None
            or settings.SESSION_CACHE_ALIAS != "default"
            or hasattr(request, "_masthead_generation")
        ):
            return
        session_cache_key = cache_key_prefix + session.session_key
        found = caches["default"].get_many([GENERATION_KEY, session_cache_key])
        generation = found.get(GENERATION_KEY)
        if generation is not None:
            remember_generation(request, int(generation))
        data = found.get(session_cache_key)
        if isinstance(data, dict):
            # What cached_db's load() would have returned from the same cache read.
            session._session_cache = data  # type: ignore[attr-defined]


def _account_changed(instance: Any, **kwargs: Any) -> None:
    accounts.forget(int(instance.pk))
    # A deleted account's entitlements go with it (their own signals drop them too).
    reader_state.entitlements.forget(int(instance.pk))


def connect_signals() -> None:
    model = get_user_model()
    post_save.connect(_account_changed, sender=model, dispatch_uid="session-user-account-save")
    post_delete.connect(_account_changed, sender=model, dispatch_uid="session-user-account-delete")
