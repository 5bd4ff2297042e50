"""The lockout page: the site's layout, how long to wait, and the reader's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.signin.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def lock(email: str) -> None:
    for i in range(5):
        Client().post("/accounts/login/", {"login": email, "password": f"guess {i}"})


def test_the_page_says_how_long_signing_in_is_paused(reader: Any) -> None:
    lock("reader@example.com")

    response = Client().post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    page = response.content.decode()
    assert response.status_code == 429
    assert (
        "signing in is paused everywhere — on the site, in the apps and in the newsroom — for 15 minutes"
        in page
    )
    assert response["Cache-Control"] == "private, no-store"


def test_the_page_speaks_japanese_to_a_japanese_reader(reader: Any) -> None:
    lock("reader@example.com")

    response = Client(HTTP_ACCEPT_LANGUAGE="ja").post(
        "/accounts/login/", {"login": "reader@example.com", "password": PASSWORD}
    )

    page = response.content.decode()
    assert response.status_code == 429
    assert "ログインを一時停止しています" in page
    assert "ログインを15分間停止しています" in page
