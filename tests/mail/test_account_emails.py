"""allauth's e-mails, as a reader receives them: from the publication, in its words and layout,
HTML with a text part, in the reader's language, every link at the site's one address."""

from __future__ import annotations

import re
from email.utils import parseaddr
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tests.builders import make_reader
from tests.mail.conftest import SITE_URL, links, parts

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 42"


def sign_up(client: Client, email: str) -> Any:
    return client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}, follow=True
    )


def test_verification_e_mail_over_smtp(pub: Any, site_url: str, smtp_server: Any) -> None:
    sign_up(Client(), "new@example.com")

    [message] = smtp_server.received
    name, address = parseaddr(message["From"])
    assert name == "The Meridian Ledger" and address == "newsroom@meridian-ledger.example"
    assert message["To"] == "new@example.com"
    assert message["Subject"] == "Confirm your e-mail address for The Meridian Ledger"
    text, html = parts(message)
    assert "testserver" not in message.as_string() and "Hello from" not in text
    assert "Thank you for registering with The Meridian Ledger" in text
    [confirm] = [link for link in links(text) if "/accounts/confirm-email/" in link]
    assert confirm.startswith(f"{SITE_URL}/accounts/confirm-email/")
    assert f'href="{confirm}"' in html
    assert all(link.startswith(SITE_URL) for link in links(text) + links(html)), links(html)
    assert '<html lang="en">' in html and "The Meridian Ledger</a>" in html
    assert "<img" not in html and "<link" not in html and "<script" not in html


def test_a_reader_who_registers_in_japanese_is_written_to_in_japanese(
    pub: Any, site_url: str, smtp_server: Any
) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    sign_up(client, "yuki@example.com")

    assert get_user_model().objects.get(email="yuki@example.com").language == "ja"
    [message] = smtp_server.received
    text, html = parts(message)
    # (A Japanese subject is folded onto the next line of the header; unfolding leaves a space.)
    assert message["Subject"].strip() == "The Meridian Ledger のメールアドレスを確認してください"
    assert "The Meridian Ledger にご登録いただきありがとうございます。" in text
    assert '<html lang="ja">' in html
    assert any(link.startswith(f"{SITE_URL}/accounts/confirm-email/") for link in links(text))


def test_the_confirmation_link_confirms_the_address(pub: Any, site_url: str) -> None:
    client = Client()
    sign_up(client, "new@example.com")
    [confirm] = [link for link in links(mail.outbox[0].body) if "/accounts/confirm-email/" in link]

    response = client.post(confirm.removeprefix(SITE_URL), follow=True)

    assert response.status_code == 200
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="new@example.com").verified


def test_password_reset_link_is_at_the_site_address_in_the_readers_language(pub: Any, site_url: str) -> None:
    reader = make_reader("reader@example.com", PASSWORD)
    reader.language = "ja"
    reader.save()

    Client().post("/accounts/password/reset/", {"email": "reader@example.com"})

    [message] = mail.outbox
    assert message.subject == "The Meridian Ledger の新しいパスワードを設定してください"
    [reset] = [link for link in links(message.body) if "/accounts/password/reset/key/" in link]
    assert reset.startswith(f"{SITE_URL}/accounts/password/reset/key/")
    html = message.alternatives[0].content
    assert f'href="{reset}"' in html


def test_login_code_and_unknown_address(pub: Any, site_url: str) -> None:
    make_reader("reader@example.com", PASSWORD)
    Client().post("/accounts/login/code/", {"email": "reader@example.com"})
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    code_mail, unknown_mail = mail.outbox
    assert code_mail.subject == "Your sign-in code for The Meridian Ledger"
    assert re.search(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$", code_mail.body, re.M)
    assert unknown_mail.to == ["nobody@example.com"]
    assert unknown_mail.subject == "No account with The Meridian Ledger uses this address"
    assert f"{SITE_URL}/accounts/signup/" in unknown_mail.body
    for message in (code_mail, unknown_mail):
        assert parseaddr(message.from_email)[0] == "The Meridian Ledger"
        assert message.alternatives and message.alternatives[0].mimetype == "text/html"
        assert "[" not in message.subject and "testserver" not in message.body


def test_registering_with_a_taken_address_tells_its_owner_with_site_links(pub: Any, site_url: str) -> None:
    make_reader("taken@example.com", PASSWORD)

    sign_up(Client(), "taken@example.com")

    [message] = [m for m in mail.outbox if m.to == ["taken@example.com"]]
    assert message.subject == "You already have an account with The Meridian Ledger"
    assert f"{SITE_URL}/accounts/login/" in message.body
    assert f"{SITE_URL}/accounts/password/reset/" in message.body
    assert "testserver" not in message.body


def test_a_changed_password_is_reported_to_the_reader(pub: Any, site_url: str) -> None:
    make_reader("reader@example.com", PASSWORD)
    client = Client()
    client.post("/accounts/login/", {"login": "reader@example.com", "password": PASSWORD})

    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "another passphrase 43", "password2": "another passphrase 43"},
    )

    [message] = mail.outbox
    assert message.subject == "Your password for The Meridian Ledger was changed"
    assert f"{SITE_URL}/accounts/password/reset/" in message.body
