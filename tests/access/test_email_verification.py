"""Registered-reader benefits wait for a confirmed address; sign-up never says an address is taken."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.access.conftest import data_remaining, has_canary, make_article, paywall_state
from tests.builders import make_reader

PASSWORD = "a long passphrase 42"


def sign_up(client: Client, email: str) -> Any:
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )


def link_in(message: Any) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def page_text(response: Any) -> str:
    html = response.content.decode()
    main = html[html.index('id="main"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def test_sign_up_asks_to_check_the_e_mail_before_anything_else(pub: Any) -> None:
    form = Client().get("/accounts/signup/")
    assert "We will e-mail you a link to confirm your address" in form.content.decode()

    client = Client()
    response = sign_up(client, "new@example.com")

    assert "Check your e-mail" in page_text(response)
    assert "_auth_user_id" not in client.session
    assert [m.to for m in mail.outbox] == [["new@example.com"]]


def test_before_confirming_no_registered_benefits_after_it_the_registered_allowance(
    pub: Any, metered: list[Any]
) -> None:
    registered_only = make_article(pub, access="registered")
    client = Client()
    sign_up(client, "new@example.com")
    # Logging in with the right password before confirming only re-sends the link.
    response = client.post(
        "/accounts/login/", {"login": "new@example.com", "password": PASSWORD}, follow=True
    )
    assert "Check your e-mail" in page_text(response)
    assert "_auth_user_id" not in client.session

    # Still anonymous: the registered-only article is walled, and the meter is the anonymous one.
    walled = client.get(registered_only.url)
    assert paywall_state(walled) == "registration-wall" and not has_canary(walled, registered_only)
    assert data_remaining(client.get(metered[0].url)) == "2"  # 3 for anonymous readers, not 5

    confirm = client.get(link_in(mail.outbox[0]))
    assert 'id="main"' in confirm.content.decode() and "page--account" in confirm.content.decode()
    assert "new@example.com" in page_text(confirm)
    # Confirmed in the browser that signed up: signed in at once.
    client.post(link_in(mail.outbox[0]))
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(email="new@example.com").pk)

    opened = client.get(registered_only.url)
    assert has_canary(opened, registered_only)
    # The anonymous read joined the account: 5 for registered readers, one already used.
    assert [data_remaining(client.get(a.url)) for a in metered[1:5]] == ["3", "2", "1", "0"]
    at_offer = client.get(metered[5].url)
    assert paywall_state(at_offer) == "offer" and not has_canary(at_offer, metered[5])


def test_sign_up_with_a_taken_address_looks_the_same_and_e_mails_its_owner(pub: Any) -> None:
    make_reader("taken@example.com", PASSWORD)

    new = sign_up(Client(), "fresh@example.com")
    taken = sign_up(Client(), "taken@example.com")

    assert new.redirect_chain == taken.redirect_chain
    assert page_text(new) == page_text(taken)
    assert "already" not in page_text(taken).lower()
    assert get_user_model().objects.filter(email__iexact="taken@example.com").count() == 1
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.com"]]
    assert len(to_owner) == 1 and "already" in to_owner[0].body.lower()
    assert "/accounts/confirm-email/" not in to_owner[0].body  # nothing to confirm: it is theirs


def test_the_app_refuses_a_password_sign_in_until_the_address_is_confirmed(pub: Any) -> None:
    make_reader("app@example.com", PASSWORD, confirmed=False)
    api = Client()
    body = {"email": "app@example.com", "password": PASSWORD, "device_name": "Phone"}

    refused = api.post("/api/v1/auth/token", body, content_type="application/json")
    wrong = api.post(
        "/api/v1/auth/token", {**body, "password": "not the password 1"}, content_type="application/json"
    )

    assert refused.status_code == 403 and refused.json()["code"] == "email_unverified"
    assert "Confirm your e-mail address" in refused.json()["message"]
    # A wrong password learns nothing about the account's state.
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"


def test_an_app_code_sign_in_confirms_the_address(pub: Any) -> None:
    from allauth.account.models import EmailAddress

    make_reader("coded@example.com", PASSWORD, confirmed=False)
    api = Client()
    api.post("/api/v1/auth/code/request", {"email": "coded@example.com"}, content_type="application/json")
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code, mail.outbox[-1].body

    response = api.post(
        "/api/v1/auth/code/verify",
        {"email": "coded@example.com", "code": code.group(1), "device_name": "Phone"},
        content_type="application/json",
    )

    assert response.status_code == 201 and response.json()["anonymous"] is False
    assert EmailAddress.objects.get(email="coded@example.com").verified
    password = api.post(
        "/api/v1/auth/token",
        {"email": "coded@example.com", "password": PASSWORD, "device_name": "Tablet"},
        content_type="application/json",
    )
    assert password.status_code == 201


def test_the_link_opened_in_another_browser_confirms_but_asks_for_the_password(pub: Any) -> None:
    sign_up(Client(), "elsewhere@example.com")
    other = Client()

    confirmed = other.post(link_in(mail.outbox[0]))

    assert confirmed.status_code == 302 and confirmed["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in other.session
    other.post("/accounts/login/", {"login": "elsewhere@example.com", "password": PASSWORD})
    assert "_auth_user_id" in other.session


def test_the_sign_up_copy_is_translated(pub: Any) -> None:
    form = Client().get("/accounts/signup/", HTTP_ACCEPT_LANGUAGE="ja")
    sent = sign_up(Client(HTTP_ACCEPT_LANGUAGE="ja"), "ja@example.com")
    assert "メールアドレス確認用のリンクをお送りします" in form.content.decode()
    assert "メールをご確認ください" in page_text(sent)
