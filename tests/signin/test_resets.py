"""Password reset requests go through the gate too: 3 per account an hour, at either reset door."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.signin.conftest import PASSWORD, PASSWORD_DOORS

pytestmark = pytest.mark.django_db


def site_reset(client: Client, email: str) -> int:
    return client.post("/accounts/password/reset/", {"email": email}).status_code


def newsroom_reset(client: Client, email: str) -> int:
    return client.post("/admin/password_reset/", {"email": email}).status_code


def test_the_fourth_reset_request_for_an_account_is_refused_at_both_doors(editor: Any) -> None:
    statuses = [
        site_reset(Client(), "editor@example.com"),
        newsroom_reset(Client(), "Editor@example.com"),
        site_reset(Client(), "editor@example.com"),
    ]
    assert statuses == [302, 302, 302]
    assert len(mail.outbox) == 3

    for refused in (site_reset, newsroom_reset):
        client = Client()
        response = client.post(
            "/accounts/password/reset/" if refused is site_reset else "/admin/password_reset/",
            {"email": "editor@example.com"},
        )
        assert response.status_code == 429
        assert 'data-signin-refused="reset"' in response.content.decode()
        assert int(response["Retry-After"]) > 0
    assert len(mail.outbox) == 3


def test_reset_requests_do_not_lock_signing_in(editor: Any) -> None:
    for _ in range(4):
        site_reset(Client(), "editor@example.com")

    web = PASSWORD_DOORS["allauth /accounts/login/"]
    assert web(Client(), "editor@example.com", PASSWORD).seen == "signed-in"


def test_a_locked_account_can_still_ask_for_a_reset(editor: Any) -> None:
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    for _ in range(6):
        door(Client(), "editor@example.com", "guess")

    assert site_reset(Client(), "editor@example.com") == 302
    assert len(mail.outbox) == 1


def test_one_address_asking_for_many_accounts_is_stopped_after_ten(db: Any) -> None:
    client = {"REMOTE_ADDR": "203.0.113.70"}

    statuses = [site_reset(Client(**client), f"someone{i}@example.com") for i in range(11)]

    assert statuses == [302] * 10 + [429]
