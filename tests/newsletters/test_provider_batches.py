"""Provider batch sends over the wire: anymail's real Mailgun backend posts to a Mailgun on
127.0.0.1 (tests/newsletters/fake_mailgun.py), which fills each recipient's merge fields as Mailgun
does, and the test counts what it kept: every reader once, in far fewer calls than readers, each
copy with its own unsubscribe link and Message-ID and the cut its reader's access allows; the
provider's ids recorded per recipient; a 500 retried on the next run, a batch refused for one bad
address sent again copy by copy so that only that copy fails. SendGrid's batch (one call, a
personalization per reader) is checked at the request anymail sends to 127.0.0.1."""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from masthead.newsletters.models import Recipient
from masthead.newsletters.rendering import message_id_for
from masthead.newsletters.sending import TransientFailure, send_issue
from masthead.newsletters.unsubscribe import unsubscribe_url
from tests.builders import canary_for, make_article
from tests.live.harness import free_port
from tests.newsletters.conftest import make_issue, make_kind_of_reader, subscribe_all
from tests.newsletters.fake_mailgun import FakeMailgun, fake_mailgun

pytestmark = pytest.mark.django_db

ENTITLED = {"subscriber", "trialist"}


@pytest.fixture
def mailgun(settings: Any) -> Iterator[FakeMailgun]:
    with fake_mailgun() as server:
        settings.EMAIL_BACKEND = "anymail.backends.mailgun.EmailBackend"
        settings.ANYMAIL = {
            "MAILGUN_API_KEY": "key-test",
            "MAILGUN_API_URL": server.api_url,
            "MAILGUN_SENDER_DOMAIN": "news.meridian-ledger.example",
        }
        settings.MASTHEAD_NEWSLETTER_PROVIDER_BATCH = 10
        yield server


def readers_of_every_kind(per_kind: int) -> dict[str, str]:
    """email -> reader kind, `per_kind` accounts of each kind."""
    found = {}
    for kind in ("registered", "subscriber", "trialist", "lapsed-subscriber", "expired-trial"):
        for n in range(per_kind):
            reader = make_kind_of_reader(kind, f"{kind}-{n}@example.com")
            found[reader.email] = kind
    return found


def test_one_call_per_variant_batch_gives_every_reader_their_own_copy_once(
    pub: Any, newsletter: Any, mailgun: FakeMailgun, site_url: str
) -> None:
    # given: 12 readers of each kind and an issue whose story is for subscribers only
    kinds = readers_of_every_kind(12)
    User = get_user_model()
    subscribe_all(newsletter, User.objects.filter(email__in=kinds))
    article = make_article(pub, access="subscribers")
    issue = make_issue(newsletter, article=article)
    # when: it is sent through the provider (batches of at most 10)
    result = send_issue(issue.pk, worker_id="test")
    # then: 60 copies in 10 calls (12 a kind: 10 + 2), every reader exactly once
    assert (result.sent, result.failed, result.in_doubt) == (60, 0, 0)
    assert sorted(mailgun.calls) == sorted([10, 2] * 5)
    assert Counter(copy.to for copy in mailgun.copies) == Counter(dict.fromkeys(kinds, 1))
    rows = {r.email: r for r in Recipient.objects.filter(issue=issue)}
    canary = canary_for(article.slug)
    for copy in mailgun.copies:
        reader = User.objects.get(email=copy.to)
        row = rows[copy.to]
        own_link = unsubscribe_url(reader.pk, newsletter)
        # each copy has its own one-click link, in the header and in both bodies, and its Message-ID
        assert copy.headers["List-Unsubscribe"] == f"<{own_link}>"
        assert copy.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert own_link in copy.text and own_link in copy.html
        assert copy.headers["Message-Id"] == message_id_for(issue_id=issue.pk, recipient_id=row.pk)
        assert copy.to in copy.text and copy.variables["newsletter_recipient"] == str(row.pk)
        assert not re.search(r"%recipient\.|NLPERSONAL", copy.subject + copy.text + copy.html)
        # the story is whole exactly for the kinds the web page shows it to
        assert (canary in copy.text) is (kinds[copy.to] in ENTITLED), (copy.to, kinds[copy.to])
        assert (canary in copy.html) is (kinds[copy.to] in ENTITLED)
    # and: each row is marked sent once, with the provider's id for its call, acknowledged
    assert {r.status for r in rows.values()} == {"sent"}
    assert all(r.provider_message_id.endswith("@mailgun.fake>") and r.accepted_at for r in rows.values())
    assert len({r.provider_message_id for r in rows.values()}) == 10
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.in_doubt_count) == ("sent", 60, 0)
    # a second run sends nothing
    assert send_issue(issue.pk, worker_id="again").sent == 0 and len(mailgun.copies) == 60


def test_a_provider_500_is_retried_on_the_next_run_and_nothing_goes_twice(
    pub: Any, newsletter: Any, mailgun: FakeMailgun
) -> None:
    kinds = readers_of_every_kind(4)
    subscribe_all(newsletter, get_user_model().objects.filter(email__in=kinds))
    issue = make_issue(newsletter, article=make_article(pub, access="free"))
    mailgun.fail_next = [500]
    # the first call answers 500: the run stops, its rows wait for the next run (not failed)
    with pytest.raises(TransientFailure):
        send_issue(issue.pk, worker_id="first")
    assert mailgun.copies == []
    assert set(Recipient.objects.filter(issue=issue).values_list("status", "in_doubt")) == {
        ("pending", False)
    }
    # the next run sends every copy once
    result = send_issue(issue.pk, worker_id="second")
    assert (result.sent, result.failed, result.in_doubt) == (20, 0, 0)
    assert Counter(copy.to for copy in mailgun.copies) == Counter(dict.fromkeys(kinds, 1))


def test_a_batch_refused_for_one_bad_address_fails_only_that_copy(
    pub: Any, newsletter: Any, mailgun: FakeMailgun
) -> None:
    kinds = readers_of_every_kind(3)
    subscribe_all(newsletter, get_user_model().objects.filter(email__in=kinds))
    issue = make_issue(newsletter, article=make_article(pub, access="free"))
    mailgun.refuse_address = "subscriber-1@example.com"  # Mailgun answers 400 for the whole call
    result = send_issue(issue.pk, worker_id="test")
    assert (result.sent, result.failed) == (14, 1)
    assert Counter(copy.to for copy in mailgun.copies) == Counter(
        {address: 1 for address in kinds if address != "subscriber-1@example.com"}
    )
    bad = Recipient.objects.get(issue=issue, email="subscriber-1@example.com")
    assert bad.status == "failed" and "400" in bad.error
    # the refused batch (3 subscribers) went again one copy per call; the other kinds in one call each
    assert sorted(mailgun.calls) == [1, 1, 1, 3, 3, 3, 3, 3]


class FakeSendGrid(BaseHTTPRequestHandler):
    """SendGrid's v3 mail/send on 127.0.0.1: keeps each call's JSON and answers 202."""

    calls: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        FakeSendGrid.calls.append(json.loads(body))
        self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


# anymail 15 warns that it no longer supports SendGrid officially (its issue 432); the backend works.
@pytest.mark.filterwarnings("ignore::anymail.exceptions.AnymailNotSupportedWarning")
def test_sendgrid_gets_one_call_with_a_personalization_per_reader(
    pub: Any, newsletter: Any, settings: Any
) -> None:
    FakeSendGrid.calls = []
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), FakeSendGrid)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.EMAIL_BACKEND = "anymail.backends.sendgrid.EmailBackend"
        settings.ANYMAIL = {"SENDGRID_API_KEY": "SG.test", "SENDGRID_API_URL": f"http://127.0.0.1:{port}/v3/"}
        readers = [make_kind_of_reader("registered", f"sg{n}@example.com") for n in range(5)]
        subscribe_all(newsletter, readers)
        issue = make_issue(newsletter, article=make_article(pub, access="free"))
        assert send_issue(issue.pk, worker_id="sg").sent == 5
    finally:
        server.shutdown()
        server.server_close()
    # one call; each personalization's substitutions fill that reader's own link into the content
    (call,) = FakeSendGrid.calls
    assert len(call["personalizations"]) == 5
    for personalization in call["personalizations"]:
        (to,) = personalization["to"]
        reader = next(r for r in readers if r.email == to["email"])
        text = next(c["value"] for c in call["content"] if c["type"] == "text/plain")
        for field, value in personalization["substitutions"].items():
            text = text.replace(field, value)
        own_link = unsubscribe_url(reader.pk, newsletter)
        assert own_link in text and reader.email in text and "-nl_" not in text
        assert personalization["headers"]["List-Unsubscribe"] == f"<{own_link}>"
    ids = set(Recipient.objects.filter(issue=issue).values_list("provider_message_id", flat=True))
    assert len(ids) == 5 and "" not in ids  # anymail's own id per recipient, recorded


class FakePostmark(BaseHTTPRequestHandler):
    """Postmark's /email on 127.0.0.1: one message a call; an inactive address gets its 422."""

    calls: list[dict[str, Any]] = []
    inactive = "registered-1@example.com"

    def do_POST(self) -> None:
        message = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        FakePostmark.calls.append(message)
        if message["To"] == self.inactive:
            status, answer = (
                422,
                {
                    "ErrorCode": 406,
                    "Message": "You tried to send to a recipient that has been marked as inactive.\n"
                    f"Found inactive addresses: {self.inactive}.\n"
                    "Inactive recipients are ones that have generated a hard bounce or a spam complaint.",
                },
            )
        else:
            status, answer = (
                200,
                {
                    "To": message["To"],
                    "MessageID": f"pm-{len(FakePostmark.calls)}",
                    "ErrorCode": 0,
                    "Message": "OK",
                },
            )
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_a_provider_without_merge_fields_gets_one_call_per_copy_and_a_422_fails_only_its_reader(
    pub: Any, newsletter: Any, settings: Any
) -> None:
    FakePostmark.calls = []
    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), FakePostmark)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings.EMAIL_BACKEND = "anymail.backends.postmark.EmailBackend"
        settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "test", "POSTMARK_API_URL": f"http://127.0.0.1:{port}/"}
        kinds = readers_of_every_kind(2)
        subscribe_all(newsletter, get_user_model().objects.filter(email__in=kinds))
        issue = make_issue(newsletter, article=make_article(pub, access="free"))
        result = send_issue(issue.pk, worker_id="pm")
    finally:
        server.shutdown()
        server.server_close()
    # Postmark fills merge data only into stored templates: one call per copy, each its reader's own
    assert (result.sent, result.failed) == (9, 1)
    assert Counter(call["To"] for call in FakePostmark.calls) == Counter(dict.fromkeys(kinds, 1))
    for call in FakePostmark.calls:
        headers = {h["Name"]: h["Value"] for h in call["Headers"]}
        reader = get_user_model().objects.get(email=call["To"])
        assert headers["List-Unsubscribe"] == f"<{unsubscribe_url(reader.pk, newsletter)}>"
    rows = {r.email: r for r in Recipient.objects.filter(issue=issue)}
    inactive = rows.pop(FakePostmark.inactive)
    assert inactive.status == "failed" and not inactive.in_doubt  # permanent: not retried
    assert all(r.status == "sent" and r.provider_message_id.startswith("pm-") for r in rows.values())
