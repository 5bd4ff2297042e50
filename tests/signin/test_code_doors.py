"""The code doors (allauth's login by code, the API's e-mailed code) count wrong codes with the
passwords of every other door, and a locked account is refused even with the right code."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.signin.conftest import (
    PASSWORD,
    PASSWORD_DOORS,
    confirm_app_code,
    confirm_site_code,
    request_app_code,
    request_site_code,
)

pytestmark = pytest.mark.django_db

LIMIT = 5


def test_the_right_site_code_signs_in(reader: Any) -> None:
    client = Client()
    code = request_site_code(client, "reader@example.com")

    assert confirm_site_code(client, code).seen == "signed-in"


def test_site_code_login_locks_after_five_wrong_codes(reader: Any) -> None:
    client = Client()
    seen = []
    # allauth abandons a code after 3 wrong tries, so the five failures span two codes.
    request_site_code(client, "reader@example.com")
    seen += [confirm_site_code(client, "AAAA-AAAA").seen for _ in range(3)]
    request_site_code(client, "reader@example.com")
    seen += [confirm_site_code(client, "BBBB-BBBB").seen for _ in range(2)]
    assert seen == ["wrong"] * LIMIT

    # The account is locked: the right code is refused, and so is the right password elsewhere.
    code = request_site_code(client, "reader@example.com")
    refused = confirm_site_code(client, code)
    assert refused.seen == "refused"
    assert 'data-signin-refused="signin"' in refused.response.content.decode()
    assert SESSION_KEY not in client.session
    for name, door in PASSWORD_DOORS.items():
        if name != "Wagtail /admin/login/":  # a reader is refused there anyway
            assert door(Client(), "reader@example.com", PASSWORD).seen == "refused", name


def test_the_right_app_code_signs_in(reader: Any) -> None:
    client = Client()
    code = request_app_code(client, "reader@example.com")

    assert confirm_app_code(client, "reader@example.com", code).seen == "signed-in"


def test_app_code_verify_locks_after_five_wrong_codes(reader: Any) -> None:
    client = Client()
    code = request_app_code(client, "reader@example.com")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    seen = [confirm_app_code(client, "reader@example.com", wrong).seen for _ in range(LIMIT)]
    assert seen == ["wrong"] * LIMIT

    code = request_app_code(client, "reader@example.com")
    refused = confirm_app_code(client, "Reader@Example.com", code)
    assert refused.seen == "refused"
    assert refused.response.json()["code"] == "rate_limited"
    assert int(refused.response["Retry-After"]) > 0
    web = PASSWORD_DOORS["allauth /accounts/login/"]
    assert web(Client(), "reader@example.com", PASSWORD).seen == "refused"


def test_wrong_passwords_lock_the_code_doors_too(reader: Any) -> None:
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    assert [door(Client(), "reader@example.com", "guess").seen for _ in range(LIMIT)] == ["wrong"] * LIMIT

    site = Client()
    assert confirm_site_code(site, request_site_code(site, "reader@example.com")).seen == "refused"
    app = Client()
    assert confirm_app_code(app, "reader@example.com", request_app_code(app, "reader@example.com")).seen == (
        "refused"
    )
