"""Fixtures for the sign-in gate: accounts with confirmed addresses, and each door as a function.

A door function posts one sign-in try and says what the visitor saw: "signed-in", "wrong"
(the door checked and refused the password or code) or "refused" (the gate's 429, nothing checked).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client

PASSWORD = "a long and right passphrase"
ADDRESS = "203.0.113.7"  # a documentation address: in-process requests only


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def make_account(email: str, *, staff: bool = False) -> Any:
    users = get_user_model().objects
    user = (
        users.create_superuser(email=email, password=PASSWORD)
        if staff
        else users.create_user(email=email, password=PASSWORD)
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def reader(db: Any) -> Any:
    return make_account("reader@example.com")


@pytest.fixture
def editor(db: Any) -> Any:
    return make_account("editor@example.com", staff=True)


@dataclass
class Outcome:
    seen: str  # "signed-in", "wrong" or "refused"
    response: Any


def _web_outcome(client: Client, response: Any) -> Outcome:
    if response.status_code == 429:
        return Outcome("refused", response)
    signed_in = SESSION_KEY in client.session
    return Outcome("signed-in" if signed_in else "wrong", response)


def allauth_login(client: Client, email: str, password: str) -> Outcome:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return _web_outcome(client, response)


def newsroom_login(client: Client, email: str, password: str) -> Outcome:
    response = client.post("/admin/login/", {"username": email, "password": password})
    return _web_outcome(client, response)


def frontend_login(client: Client, email: str, password: str) -> Outcome:
    response = client.post("/_util/login/", {"username": email, "password": password})
    return _web_outcome(client, response)


def django_admin_login(client: Client, email: str, password: str) -> Outcome:
    response = client.post("/django-admin/login/", {"username": email, "password": password})
    return _web_outcome(client, response)


def api_token(client: Client, email: str, password: str) -> Outcome:
    response = client.post(
        "/api/v1/auth/token",
        {"email": email, "password": password, "device_name": "Test phone"},
        content_type="application/json",
    )
    seen = {201: "signed-in", 401: "wrong", 429: "refused"}[response.status_code]
    return Outcome(seen, response)


PASSWORD_DOORS: dict[str, Callable[[Client, str, str], Outcome]] = {
    "allauth /accounts/login/": allauth_login,
    "Wagtail /admin/login/": newsroom_login,
    "Wagtail /_util/login/": frontend_login,
    "Django /django-admin/login/": django_admin_login,
    "API POST /api/v1/auth/token": api_token,
}


def last_code(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def request_site_code(client: Client, email: str) -> str:
    response = client.post("/accounts/login/code/", {"email": email})
    assert response.status_code == 302, response.status_code
    return last_code(r"\n\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*\n")


def confirm_site_code(client: Client, code: str) -> Outcome:
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    return _web_outcome(client, response)


def request_app_code(client: Client, email: str) -> str:
    response = client.post("/api/v1/auth/code/request", {"email": email}, content_type="application/json")
    assert response.status_code == 202
    return last_code(r"(\d{6})")


def confirm_app_code(client: Client, email: str, code: str) -> Outcome:
    response = client.post(
        "/api/v1/auth/code/verify",
        {"email": email, "code": code, "device_name": "Test phone"},
        content_type="application/json",
    )
    seen = {201: "signed-in", 401: "wrong", 429: "refused"}[response.status_code]
    return Outcome(seen, response)
