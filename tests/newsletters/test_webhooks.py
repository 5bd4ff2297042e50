"""Provider tracking webhooks (anymail, Postmark's format here): bounces and complaints suppress,
replays and forgeries change nothing, oversized and NUL-carrying bodies are refused."""

from __future__ import annotations

import base64
import io
import json
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import resolve

from masthead.newsletters.models import DeliveryEvent, Recipient, Suppression
from masthead.newsletters.sending import send_issue
from tests.newsletters.conftest import make_issue, make_kind_of_reader, subscribe_all

URL = "/email/webhooks/postmark/tracking/"
SECRET = "hooks:a-long-webhook-secret"


@pytest.fixture(autouse=True)
def _secret(settings: Any) -> None:
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def auth(secret: str = SECRET) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def bounce(address: str, *, event_id: int = 4323372036854775807, kind: str = "HardBounce") -> dict[str, Any]:
    return {
        "RecordType": "Bounce",
        "ID": event_id,
        "Type": kind,
        "TypeCode": 1,
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Email": address,
        "BouncedAt": "2026-12-06T10:00:00Z",
        "Description": "The server was unable to deliver your message.",
        "Details": "smtp;550 5.1.1 user unknown",
        "Subject": "Today's briefing",
    }


def post(client: Client, payload: Any, **extra: Any) -> Any:
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post(URL, data=body, content_type="application/json", **extra)


@pytest.mark.django_db
def test_a_hard_bounce_suppresses_the_address_and_the_next_issue_skips_it(newsletter: Any) -> None:
    ada = make_kind_of_reader("registered", "ada@example.com")
    bob = make_kind_of_reader("registered", "bob@example.com")
    subscribe_all(newsletter, [ada, bob])
    send_issue(make_issue(newsletter).pk, worker_id="t")
    client = Client()
    assert post(client, bounce("ADA@example.com"), **auth()).status_code == 200
    assert Suppression.objects.get().email == "ada@example.com"
    assert DeliveryEvent.objects.get(kind="bounced").recipient.email == "ada@example.com"
    second = make_issue(newsletter, subject="Next day")
    result = send_issue(second.pk, worker_id="t")
    assert (result.sent, result.skipped) == (1, 1)
    assert Recipient.objects.get(issue=second, reader=ada).skip_reason == "suppressed"


@pytest.mark.django_db
def test_a_complaint_suppresses_a_soft_bounce_does_not(newsletter: Any) -> None:
    client = Client()
    assert (
        post(
            client,
            {**bounce("c@example.com", event_id=7), "RecordType": "SpamComplaint", "Type": "SpamComplaint"},
            **auth(),
        ).status_code
        == 200
    )
    assert (
        post(
            client,
            bounce("soft@example.com", event_id=8, kind="SoftBounce") | {"Type": "Transient"},
            **auth(),
        ).status_code
        == 200
    )
    assert list(Suppression.objects.values_list("email", "reason")) == [("c@example.com", "complaint")]


@pytest.mark.django_db
def test_a_replayed_event_changes_nothing(newsletter: Any) -> None:
    client = Client()
    assert post(client, bounce("ada@example.com"), **auth()).status_code == 200
    Suppression.objects.all().delete()  # staff lifted the suppression since
    assert post(client, bounce("ada@example.com"), **auth()).status_code == 200
    assert DeliveryEvent.objects.count() == 1
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_a_forged_event_or_webhooks_without_a_secret_are_refused(settings: Any, newsletter: Any) -> None:
    client = Client()
    assert post(client, bounce("ada@example.com"), **auth("hooks:guessed")).status_code == 400
    assert post(client, bounce("ada@example.com")).status_code == 400
    settings.ANYMAIL = {}
    assert post(client, bounce("ada@example.com")).status_code == 403
    assert not DeliveryEvent.objects.exists() and not Suppression.objects.exists()


@pytest.mark.django_db
def test_a_nul_byte_in_the_address_is_a_400_and_no_change(newsletter: Any) -> None:
    client = Client()
    assert post(client, bounce("ada\x00@example.com"), **auth()).status_code == 400
    raw = json.dumps(bounce("x@example.com")).replace("x@example.com", "ada@exa\\u0000mple.com")
    assert post(client, raw, **auth()).status_code == 400
    assert not DeliveryEvent.objects.exists() and not Suppression.objects.exists()


class Untouchable(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def readable(self) -> bool:
        return True

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the body was read")

    readinto = read  # type: ignore[assignment]


@pytest.mark.django_db
def test_a_10_mb_body_is_refused_with_413_without_being_read(newsletter: Any) -> None:
    request = RequestFactory().post(URL, data=b"", content_type="application/json", **auth())
    request.META["CONTENT_LENGTH"] = str(10 * 1024 * 1024)
    request.META["wsgi.input"] = Untouchable()
    from django.core.handlers.wsgi import WSGIRequest

    response = resolve(URL).func(WSGIRequest(request.META))
    assert response.status_code == 413
    # And over the wire, a real 10 MB body.
    big = json.dumps(bounce("ada@example.com") | {"Details": "x" * (10 * 1024 * 1024)})
    assert post(Client(), big, **auth()).status_code == 413
    assert not DeliveryEvent.objects.exists() and not Suppression.objects.exists()


@pytest.mark.django_db
def test_opens_reported_by_the_provider_count_apples_proxy_apart(newsletter: Any) -> None:
    client = Client()
    opened = {
        "RecordType": "Open",
        "MessageID": "a1",
        "Recipient": "ada@example.com",
        "ReceivedAt": "2026-12-06T10:00:00Z",
        "UserAgent": "Mozilla/5.0",
        "FirstOpen": True,
    }
    assert post(client, opened, **auth()).status_code == 200
    human = opened | {"MessageID": "a2", "UserAgent": "Mozilla/5.0 (Windows NT 10.0) Outlook/16"}
    assert post(client, human, **auth()).status_code == 200
    assert sorted(DeliveryEvent.objects.values_list("kind", flat=True)) == ["machine_open", "opened"]


@pytest.mark.django_db
def test_an_event_for_a_batch_id_lands_on_its_own_readers_copy(newsletter: Any) -> None:
    # A provider batch gives one message id to the whole call (Mailgun): the address picks the copy.
    ada = make_kind_of_reader("registered", "ada@example.com")
    bob = make_kind_of_reader("registered", "bob@example.com")
    subscribe_all(newsletter, [ada, bob])
    issue = make_issue(newsletter)
    send_issue(issue.pk, worker_id="t")
    batch_id = bounce("x")["MessageID"]
    Recipient.objects.filter(issue=issue).update(provider_message_id=batch_id)
    assert post(Client(), bounce("ada@example.com"), **auth()).status_code == 200
    event = DeliveryEvent.objects.get(kind="bounced")
    assert event.recipient is not None and event.recipient.email == "ada@example.com"
