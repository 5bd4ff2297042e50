"""The newsroom (Wagtail admin) login refuses a reader before a session exists."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.signin.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_reader_with_the_right_password_is_not_let_in_nor_signed_in(reader: Any) -> None:
    client = Client()

    response = client.post("/admin/login/", {"username": "reader@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert "didn&#x27;t match" in response.content.decode() or "didn't match" in response.content.decode()
    # No session was made: no cookie, and the reader is not signed in to the site either.
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert SESSION_KEY not in client.session
    account = client.get("/account/")
    assert account.status_code == 302 and "/accounts/login/" in account["Location"]
    assert client.get("/admin/").status_code == 302


def test_an_editor_is_let_in(editor: Any) -> None:
    client = Client()

    response = client.post("/admin/login/", {"username": "editor@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert settings.SESSION_COOKIE_NAME in response.cookies
    assert client.get("/admin/").status_code == 200
