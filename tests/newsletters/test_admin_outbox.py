"""The demo's outbox: in demo mode outgoing mail is kept (OutboxBackend) and staff read it in the
admin, the HTML in a sandboxed iframe with its own CSP; outside demo mode there is no outbox."""

from __future__ import annotations

import os
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives, get_connection
from django.test import Client

from masthead.accounts.models import User
from masthead.mail.models import OutboxMessage

pytestmark = pytest.mark.django_db
BACKEND = "masthead.mail.outbox.OutboxBackend"
ROOT = Path(__file__).resolve().parents[2]
HOSTILE = (
    '<p>Hello</p><script>parent.document.title="pwned"</script><img src="https://tracker.example/x.gif">'
)


def send(subject: str = "Your receipt", html: str = HOSTILE) -> None:
    message = EmailMultiAlternatives(
        subject=subject,
        body="Hello in plain text.",
        from_email="The Ledger <newsroom@example.com>",
        to=["reader@example.com"],
        bcc=["archive@example.com"],
        headers={"List-Unsubscribe": "<https://news.example/unsub>"},
    )
    message.attach_alternative(html, "text/html")
    message.connection = get_connection(BACKEND)
    message.send()


def test_the_backend_keeps_every_part_of_the_message(settings, capsys):
    settings.MASTHEAD_OUTBOX_ANNOUNCE = True
    send()
    kept = OutboxMessage.objects.get()
    assert kept.recipients == ["reader@example.com", "archive@example.com"]
    assert (kept.subject, kept.text, kept.html) == ("Your receipt", "Hello in plain text.", HOSTILE)
    assert kept.from_email == "The Ledger <newsroom@example.com>"
    assert kept.headers["List-Unsubscribe"] == "<https://news.example/unsub>"
    assert "Message-ID" in kept.headers
    assert f"http://testserver/admin/outbox/{kept.pk}/" in capsys.readouterr().out


def test_the_backend_refuses_to_work_outside_demo_mode(settings):
    settings.MASTHEAD_DEMO = False
    with pytest.raises(ImproperlyConfigured, match="demo mode only"):
        get_connection(BACKEND)


def test_make_demo_settings_keep_mail_in_the_outbox():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MASTHEAD_", "EMAIL_"))}
    code = "import config.settings.dev as s; print(s.EMAIL_BACKEND)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == BACKEND
    env["MASTHEAD_DEMO"] = "0"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


@pytest.fixture
def chief() -> Client:
    client = Client()
    client.force_login(
        User.objects.create_superuser(email="chief@example.com", password="a long chief password")
    )
    return client


def test_staff_read_the_outbox_and_the_html_is_sandboxed(chief):
    send("First")
    send("Second")
    index = chief.get("/admin/outbox/").content.decode()
    assert index.index("Second") < index.index("First")  # newest first
    assert "Outbox" in chief.get("/admin/").content.decode()
    kept = OutboxMessage.objects.get(subject="Second")
    page = chief.get(f"/admin/outbox/{kept.pk}/").content.decode()
    assert 'sandbox=""' in page
    # The hostile HTML exists only as an escaped attribute value: never as markup of the page.
    assert "<script>parent" not in page and 'tracker.example/x.gif"' not in page.split("srcdoc=")[0]
    srcdoc = unescape(page.split('srcdoc="', 1)[1].split('"', 1)[0])
    assert srcdoc.startswith('<meta http-equiv="Content-Security-Policy"')
    assert "default-src &#x27;none&#x27;" in srcdoc and "img-src http://testserver data:" in srcdoc
    assert srcdoc.endswith(HOSTILE)
    assert "Hello in plain text." in page and "List-Unsubscribe" in page
    assert chief.get("/admin/outbox/?q=first").content.decode().count("data-outbox-message=") == 1


def test_readers_and_plain_editors_cannot_read_it(settings):
    send()
    reader = Client()
    reader.force_login(
        User.objects.create_user(email="reader@example.com", password="a long reader password")
    )
    assert reader.get("/admin/outbox/").status_code == 302  # to the admin's login
    from django.contrib.auth.models import Permission

    editor = User.objects.create_user(
        email="ed@example.com", password="a long editor password", is_staff=True
    )
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(editor)
    assert client.get("/admin/outbox/")["Location"] == "/admin/"
    assert "/admin/outbox/" not in client.get("/admin/").content.decode()


def test_there_is_no_outbox_outside_demo_mode(chief, settings):
    send()
    settings.MASTHEAD_DEMO = False
    assert chief.get("/admin/outbox/").status_code == 404
    assert "/admin/outbox/" not in chief.get("/admin/").content.decode()
