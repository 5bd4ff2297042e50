"""The reader's language lives on the account: chosen at sign-up (the page's language), changed by
the footer switcher while signed in and on /account/, in the data export; e-mails follow it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from tests.builders import make_reader
from tests.mail.conftest import SITE_URL

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 42"


def signed_in(email: str = "reader@example.com") -> tuple[Client, Any]:
    reader = make_reader(email, PASSWORD)
    client = Client()
    client.force_login(reader)
    return client, reader


def test_the_footer_switcher_changes_the_language_of_a_signed_in_readers_e_mails(pub: Any) -> None:
    client, reader = signed_in()

    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})
    reader.refresh_from_db()
    assert reader.language == "ja"

    Client().post("/accounts/password/reset/", {"email": "reader@example.com"})  # another browser
    assert mail.outbox[-1].subject == "The Meridian Ledger の新しいパスワードを設定してください"

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    reader.refresh_from_db()
    assert reader.language == "en"


def test_a_switch_posted_from_another_site_changes_nothing(pub: Any) -> None:
    client, reader = signed_in()

    refused = client.post("/i18n/setlang/", {"language": "ja"}, headers={"Sec-Fetch-Site": "cross-site"})

    assert refused.status_code == 403
    reader.refresh_from_db()
    assert reader.language == "en"


def test_an_anonymous_switch_touches_no_account_and_an_unknown_language_is_ignored(pub: Any) -> None:
    client, reader = signed_in()
    Client().post("/i18n/setlang/", {"language": "ja", "next": "/"})
    client.post("/i18n/setlang/", {"language": "xx", "next": "/"})

    reader.refresh_from_db()
    assert reader.language == "en"


def test_the_account_page_offers_the_language_and_the_export_includes_it(pub: Any) -> None:
    client, reader = signed_in()
    page = client.get("/account/").content.decode()
    assert '<label for="id_language">Language of our e-mails to you</label>' in page
    assert '<option value="ja">日本語</option>' in page

    client.post("/account/preferences/", {"billing_emails": "on", "language": "ja"})

    reader.refresh_from_db()
    assert reader.language == "ja" and reader.billing_emails
    export = json.loads(client.get("/account/export/").content)
    assert export["profile"]["language"] == "ja"
    assert "---------" not in client.get("/account/").content.decode()

    client.post("/account/preferences/", {"newsletter_opt_in": "on"})  # a form with no language
    reader.refresh_from_db()
    assert (reader.language, reader.newsletter_opt_in, reader.billing_emails) == ("ja", True, False)


def test_an_address_with_no_account_is_written_to_in_the_pages_language(pub: Any, site_url: str) -> None:
    client = Client()
    client.post("/i18n/setlang/", {"language": "ja", "next": "/"})

    client.post("/accounts/password/reset/", {"email": "nobody@example.com"})

    [message] = mail.outbox
    assert message.subject == "このアドレスの The Meridian Ledger アカウントはありません"
    assert f"{SITE_URL}/accounts/signup/" in message.body


def test_the_newsroom_password_reset_names_the_site_address_not_the_requests_host(
    pub: Any, site_url: str
) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("editor@example.com", PASSWORD, is_staff=True, is_superuser=True)

    Client().post("/admin/password_reset/", {"email": "editor@example.com"})

    [message] = mail.outbox
    assert f"{SITE_URL}/admin/password_reset/confirm/" in message.body
    assert "testserver" not in message.body and "testserver" not in message.subject
    assert message.from_email == "The Meridian Ledger <newsroom@meridian-ledger.example>"
