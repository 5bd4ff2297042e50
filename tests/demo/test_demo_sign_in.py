"""The demo's readers and editor sign in on the reader side: their addresses are confirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from masthead.billing.demo import DEMO_PASSWORD as READER_PASSWORD
from masthead.news.demo.editor import DEMO_PASSWORD as EDITOR_PASSWORD
from masthead.news.demo.editor import EDITOR_EMAIL
from tests.demo.built import demo_fixture

pytestmark = pytest.mark.django_db

# The demo built once for the module (tests/demo/built.py); each test's sign-ins are rolled back.
demo = demo_fixture()


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("reader@example.com", READER_PASSWORD),
        ("subscriber@example.com", READER_PASSWORD),
        ("lapsed@example.com", READER_PASSWORD),
        (EDITOR_EMAIL, EDITOR_PASSWORD),
    ],
)
def test_demo_accounts_sign_in_through_the_login_page(demo: str, email: str, password: str) -> None:
    browser = Client()

    response = browser.post("/accounts/login/", {"login": email, "password": password})

    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" in browser.session
