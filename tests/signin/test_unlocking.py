"""A lock ends early only for someone who proves the account is theirs, or by staff."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from tests.signin.conftest import PASSWORD, PASSWORD_DOORS

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 42"


def lock(email: str, **client: Any) -> None:
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    for i in range(5):
        door(Client(**client), email, f"guess {i}")


def test_a_finished_password_reset_lets_the_reader_sign_in_at_once(reader: Any) -> None:
    lock("reader@example.com")
    web = PASSWORD_DOORS["allauth /accounts/login/"]
    assert web(Client(), "reader@example.com", PASSWORD).seen == "refused"

    # given the reset link from the e-mail, the reader sets a new password
    browser = Client()
    assert browser.post("/accounts/password/reset/", {"email": "reader@example.com"}).status_code == 302
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form = browser.get(link.group(1), follow=True)
    done = browser.post(form.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302

    # then the new password opens every door straight away
    assert web(Client(), "reader@example.com", NEW_PASSWORD).seen == "signed-in"


def test_staff_can_unlock_an_account_and_an_address(reader: Any) -> None:
    lock("reader@example.com")
    web = PASSWORD_DOORS["allauth /accounts/login/"]
    assert web(Client(), "reader@example.com", PASSWORD).seen == "refused"

    out = StringIO()
    call_command("unlock_signin", "Reader@Example.com", stdout=out)

    assert "Dropped 1" in out.getvalue()
    assert web(Client(), "reader@example.com", PASSWORD).seen == "signed-in"


def test_unlocking_an_address_counts_ipv6_by_its_64(reader: Any) -> None:
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    for i in range(20):
        door(Client(REMOTE_ADDR="2001:db8:5:6::1"), f"t{i % 5}@example.com", "guess")
    assert door(Client(REMOTE_ADDR="2001:db8:5:6::1"), "reader@example.com", PASSWORD).seen == "refused"

    call_command("unlock_signin", address=["2001:db8:5:6::abcd"], stdout=StringIO())

    assert door(Client(REMOTE_ADDR="2001:db8:5:6::1"), "reader@example.com", PASSWORD).seen == "signed-in"


def test_the_command_says_what_is_wrong_with_its_input(db: Any) -> None:
    with pytest.raises(CommandError, match="at least one"):
        call_command("unlock_signin", stdout=StringIO())
    with pytest.raises(CommandError, match="not an IP address"):
        call_command("unlock_signin", address=["nowhere"], stdout=StringIO())
