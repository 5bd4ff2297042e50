"""Reader accounts with allauth, inside the publication's layout: register, log in, log out,
no account enumeration, e-mailed login codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.builders import make_reader

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(db: Any) -> Any:
    from tests.builders import make_publication

    return make_publication()


@pytest.mark.parametrize("url", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/",
                                 "/accounts/login/code/"])  # fmt: skip
def test_account_pages_use_the_site_layout(site: Any, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="main"' in html and "page--account" in html
    assert "<title>" in html and "Meridian Ledger" in html


def test_register_with_email_and_password(site: Any) -> None:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.com",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.filter(email="new@example.com").exists()
    # Verification is mandatory: not signed in until the e-mailed link is opened.
    assert "_auth_user_id" not in client.session
    assert any("new@example.com" in m.to for m in mail.outbox)  # verification e-mail


def test_password_reset_does_not_reveal_whether_an_account_exists(site: Any) -> None:
    get_user_model().objects.create_user("known@example.com", "a long passphrase 42")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.com"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_wrong_password_message_names_no_account(site: Any) -> None:
    get_user_model().objects.create_user("known@example.com", "a long passphrase 42")
    known = Client().post("/accounts/login/", {"login": "known@example.com", "password": "wrong one 1"})
    unknown = Client().post("/accounts/login/", {"login": "nobody@example.com", "password": "wrong one 1"})
    assert known.status_code == unknown.status_code == 200
    assert "not correct" in known.content.decode() and "not correct" in unknown.content.decode()


def test_login_by_emailed_code(site: Any) -> None:
    # A code that reached the address proves it: an unconfirmed account is confirmed and signed in.
    make_reader("code@example.com", "a long passphrase 42", confirmed=False)
    client = Client()
    response = client.post("/accounts/login/code/", {"email": "code@example.com"})
    assert response.status_code == 302
    message = mail.outbox[-1]
    code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", message.body, re.M)
    assert code, message.body
    confirmed = client.post("/accounts/login/code/confirm/", {"code": code.group(1)})
    assert confirmed.status_code == 302
    assert "_auth_user_id" in client.session
    assert EmailAddress.objects.get(email="code@example.com").verified
