"""Sending an issue: one recipient row per reader, claimed in batches, each copy sent once.

1. `create_recipients` makes a Recipient row per (issue, reader) from the newsletter's active
   subscriptions that are in its audience (streamed with `iterator()`, a thousand readers at a
   time; never all readers in memory). An address on the suppression list gets a row marked
   skipped. The unique (issue, reader) constraint makes this safe to repeat after a crash.
2. Workers claim batches of pending rows atomically — PostgreSQL: `SELECT … FOR UPDATE SKIP
   LOCKED` then an UPDATE in one transaction; SQLite (one writer at a time): one `UPDATE … WHERE
   id IN (SELECT … WHERE status='pending' …)` that stamps the rows with a fresh claim id. A
   claim is a lease: a worker renews it as it sends, and rows whose claim is older than
   `MASTHEAD_NEWSLETTER_LEASE_SECONDS` (a worker that died) may be claimed again.
3. Each copy carries a Message-ID fixed per recipient row (`rendering.message_id_for`), whatever
   attempt sends it; the row is marked sent with the provider's message id.

The guarantee, precisely:

- SMTP (Django's SMTP backend, any relay): exactly once. The message is sent in two steps: MAIL,
  RCPT, DATA and the whole message but the final "." line; then the row is marked sent (a
  committed UPDATE that also checks this worker still holds the claim); then the final "." — the
  moment the server takes responsibility for the message. A worker killed before the mark leaves
  a claimed row and a connection closed mid-DATA, which the server discards: the row is sent again
  after the lease. A worker killed after the final "." has marked the row already: it is not sent
  again. Several connections (`MASTHEAD_NEWSLETTER_CONNECTIONS`, default 16) are driven by ONE
  thread (`SMTPGroup`): each conversation moves on as its server answers, the copies that reached
  their final "." wait together, one committed UPDATE marks the whole group (all rows, or none if
  any claim was lost), and the dots follow back to back. The one window left is between that
  commit and the last of those writes (a few `send()` calls on open sockets, no network round
  trip, and no other thread that could hold the interpreter in between): a kill exactly there
  loses the copies whose "." was not written (recorded as sent, and no server has them); a
  duplicate is impossible. Exactly once with no window at all would need the receiver to drop a
  repeated Message-ID, which SMTP does not promise. A worker that lost its claim (lease taken
  over) finds its mark refused and drops the group's connections without the final ".", so two
  workers can never both send one row.
  The server's answer to each final "." (its "250 … queued as …" line) is recorded on the row
  (`accepted_at`, `relay_reply`) in the commit of the next group's mark. A copy marked sent whose
  answer was never recorded, by a worker gone for longer than a lease (`flag_in_doubt`), or whose
  connection broke before the answer, is **in doubt**: the server may or may not have it. It is
  not sent again (that could duplicate it); the issue counts it (`Issue.in_doubt_count`, the
  issue desk, the command's output) so the editor knows. 0 in a run nobody killed.
- Any other backend (anymail's HTTP APIs, which have no two-step send): at least once, with the
  same Message-ID on every attempt. Before each call the rows note, in a commit, which call they
  go out in (`batch_id`); after the provider's answer they are marked sent with its message id per
  recipient. A worker killed inside the call leaves that note behind: whoever claims the rows again
  counts them in doubt and sends them again (a provider that kept the call before the kill then
  has two copies; one that had not, like the test's stalled provider, has one). A call answered
  5xx or 429 is retried on the next run; 4xx refuses it for good (a batch refused as a whole is
  sent again copy by copy, so only the copy at fault fails). Where the provider fills merge
  fields into the message itself (Mailgun, SendGrid), the copies of one variant go in one call of
  up to the provider's batch size (`batches`).
"""

from __future__ import annotations

import logging
import os
import re
import select
import smtplib
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django_tasks import task

from masthead.access.identity import ReaderIdentity
from masthead.access.policy import ENTITLED_KINDS, ReaderKind
from masthead.access.services import reader_kinds_of_accounts
from masthead.mail.reader_mail import reader_language
from masthead.newsletters.batches import BatchProvider, batch_provider
from masthead.newsletters.models import Issue, Newsletter, NewsletterSubscription, Recipient, Suppression
from masthead.newsletters.rendering import IssueRenderer, message_id_for, render_issue

logger = logging.getLogger(__name__)

BATCH_SIZE = 100
CHUNK = 1000
MAX_ATTEMPTS = 3
COUNTS_EVERY = 2.0  # seconds between refreshes of an issue's progress counts while it sends
Status = Recipient.Status


@dataclass(frozen=True)
class SendResult:
    sent: int  # sent by this run
    skipped: int  # suppressed, unsubscribed, or sent before this run
    failed: int
    in_doubt: int = 0  # handed to a server or provider by a worker that died before its answer

    def __str__(self) -> str:
        return f"sent {self.sent}, skipped {self.skipped}, failed {self.failed}"


class LostClaim(Exception):
    """Another worker took over this row (our lease ran out): do not send it."""


class TransientFailure(Exception):
    """The server or the connection failed; the row goes back to pending."""

    def __init__(self, *args: Any, in_doubt: bool = False) -> None:
        super().__init__(*args)
        self.in_doubt = in_doubt  # the request may have reached the provider before it failed


class PermanentFailure(Exception):
    """The server refused this recipient for good (5xx)."""


class RefusedAfterMark(PermanentFailure):
    """The server refused the complete message: the row, marked sent a moment ago, is failed."""


def lease() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "MASTHEAD_NEWSLETTER_LEASE_SECONDS", 300)))


# -- 1. recipients ------------------------------------------------------------------------------------


def _chunks(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def create_recipients(issue: Issue, *, now: datetime | None = None) -> int:
    """A Recipient row per reader in the audience; safe to repeat. Returns the issue's total."""
    now = now or timezone.now()
    newsletter = issue.newsletter
    subscriptions = (
        NewsletterSubscription.objects.active()
        .filter(newsletter=newsletter, reader__is_active=True)
        .exclude(reader__email="")
        .order_by("reader_id")
        .values_list("reader_id", "reader__email", "reader__is_staff")
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(subscriptions, CHUNK):
        kinds = reader_kinds_of_accounts(
            identities=[ReaderIdentity(user_id=rid, is_staff=staff) for rid, _email, staff in chunk], now=now
        )
        emails = [email.strip().lower() for _rid, email, _staff in chunk]
        suppressed = set(Suppression.objects.filter(email__in=emails).values_list("email", flat=True))
        rows = []
        for rid, email, _staff in chunk:
            kind = kinds[rid]
            if newsletter.audience == Newsletter.Audience.SUBSCRIBERS and kind not in ENTITLED_KINDS:
                continue
            blocked = email.strip().lower() in suppressed
            rows.append(
                Recipient(
                    issue=issue,
                    reader_id=rid,
                    email=email,
                    reader_kind=kind.value,
                    status=Status.SKIPPED if blocked else Status.PENDING,
                    skip_reason="suppressed" if blocked else "",
                )
            )
        Recipient.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    total = Recipient.objects.filter(issue=issue).count()
    Issue.objects.filter(pk=issue.pk).update(recipients_total=total)
    issue.recipients_total = total
    return total


# -- 2. claims ----------------------------------------------------------------------------------------


# A row claimed again while its batch id is set was inside a provider call when its worker died:
# the provider may have it. It is sent again (at least once) and counted in doubt.
_IN_FLIGHT_WAS_IN_DOUBT = "in_doubt = CASE WHEN batch_id <> '' THEN %s ELSE in_doubt END, batch_id = ''"


def claim_batch(
    issue_id: int, *, worker_id: str, size: int = BATCH_SIZE, now: datetime | None = None
) -> str | None:
    """Claim up to `size` sendable rows for this worker; returns the claim id, or None if none."""
    now = now or timezone.now()
    claim = f"{worker_id}:{uuid.uuid4().hex[:12]}"[:80]
    expired = now - lease()
    table = Recipient._meta.db_table
    sendable = "issue_id = %s AND (status = 'pending' OR (status = 'claimed' AND claimed_at < %s))"
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE {sendable} ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",  # noqa: S608
                [issue_id, expired, size],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return None
            cursor.execute(
                f"UPDATE {table} SET status = 'claimed', claimed_by = %s, claimed_at = %s, "  # noqa: S608
                f"attempts = attempts + 1, {_IN_FLIGHT_WAS_IN_DOUBT} WHERE id = ANY(%s)",
                [claim, now, True, ids],
            )
        return claim
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'claimed', claimed_by = %s, claimed_at = %s, "  # noqa: S608
            f"attempts = attempts + 1, {_IN_FLIGHT_WAS_IN_DOUBT} WHERE id IN "
            f"(SELECT id FROM {table} WHERE {sendable} ORDER BY id LIMIT %s)",
            [claim, now, True, issue_id, expired, size],
        )
        claimed = cursor.rowcount
    return claim if claimed else None


def renew(claim: str, *, now: datetime | None = None) -> None:
    Recipient.objects.filter(claimed_by=claim, status=Status.CLAIMED).update(claimed_at=now or timezone.now())


def _mark_sent(recipient_id: int, *, claim: str, message_id: str, kind: str, accepted: bool = False) -> None:
    """`accepted`: the provider has already taken the copy (an API), so it is acknowledged too."""
    now = timezone.now()
    extra: dict[str, Any] = {"accepted_at": now, "relay_reply": "accepted"} if accepted else {}
    marked = Recipient.objects.filter(pk=recipient_id, claimed_by=claim, status=Status.CLAIMED).update(
        **extra,
        status=Status.SENT,
        provider_message_id=message_id[:255],
        sent_at=now,
        reader_kind=kind,
        error="",
    )
    if not marked:
        raise LostClaim(recipient_id)


def _release(recipient: Recipient, *, claim: str, error: str, in_doubt: bool = False) -> None:
    status = Status.FAILED if recipient.attempts >= MAX_ATTEMPTS else Status.PENDING
    extra = {"in_doubt": True} if in_doubt else {}
    Recipient.objects.filter(pk=recipient.pk, claimed_by=claim, status=Status.CLAIMED).update(
        status=status, error=error[:2000], batch_id="", **extra
    )


def _fail(recipient_id: int, *, claim: str, error: str, marked: bool = False) -> None:
    rows = Recipient.objects.filter(pk=recipient_id, claimed_by=claim)
    if not marked:
        rows = rows.exclude(status=Status.SENT)
    rows.update(status=Status.FAILED, error=error[:2000], provider_message_id="")


def _release_claim(claim: str) -> None:
    Recipient.objects.filter(claimed_by=claim, status=Status.CLAIMED).update(
        status=Status.PENDING, batch_id=""
    )


def _hand_over(recipient_ids: list[int], *, claim: str, batch_id: str) -> None:
    """Before an API call: a committed note of which call the rows go out in (refused if the
    claim was lost). A worker that dies inside the call leaves it behind: whoever claims the rows
    again counts them in doubt (`claim_batch`)."""
    with transaction.atomic():
        handed = Recipient.objects.filter(
            pk__in=recipient_ids, claimed_by=claim, status=Status.CLAIMED
        ).update(batch_id=batch_id[:80], claimed_at=timezone.now())
        if handed != len(recipient_ids):
            raise LostClaim(recipient_ids)


def _call_may_have_arrived(exc: BaseException) -> bool:
    """Whether an API call that raised may still have been taken by the provider: a refused
    connection or a connect timeout never carried the request; an HTTP answer said what it did;
    anything else (a read timeout, a connection dropped mid-answer) leaves the copy in doubt."""
    import requests
    from urllib3.exceptions import NewConnectionError

    if getattr(exc, "status_code", None) is not None or getattr(exc, "response", None) is not None:
        return False
    original = exc.__cause__ or exc
    if isinstance(original, requests.exceptions.ConnectTimeout):
        return False
    if isinstance(original, requests.exceptions.ConnectionError):
        reason = getattr(original.args[0], "reason", None) if original.args else None
        return not isinstance(reason, NewConnectionError)
    return isinstance(original, requests.exceptions.RequestException)


def _api_failure(exc: BaseException) -> PermanentFailure | TransientFailure:
    """An API provider's refusal as the providers document it: 4xx but 429 is the request's own
    fault (sending it again changes nothing); 429, 5xx and the network are retried later."""
    from anymail.exceptions import AnymailRecipientsRefused

    if isinstance(exc, AnymailRecipientsRefused):
        return PermanentFailure(str(exc))
    code = getattr(exc, "status_code", None)
    if code is not None and 400 <= code < 500 and code != 429:
        return PermanentFailure(f"HTTP {code}: {str(exc)[:500]}")
    return TransientFailure(str(exc)[:1000], in_doubt=_call_may_have_arrived(exc))


# -- 3. the transport ---------------------------------------------------------------------------------

_LEADING_DOT = re.compile(rb"(?m)^\.")


class Transport:
    """Sends one message and marks its row, in the order the guarantee above needs."""

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)
        self.two_step = isinstance(self.backend, SMTPBackend)
        self.opened = False
        self.last_reply: str | None = None  # SMTP: the server's answer to the last final "."

    def open(self) -> None:
        if not self.opened:
            self.backend.open()
            self.opened = True
            smtp = getattr(self.backend, "connection", None)
            if smtp is not None and getattr(smtp, "sock", None) is not None:
                # The final "." goes alone after the mark: without this, Nagle's algorithm holds
                # it until the server acknowledges the body, which a server delays (up to 40 ms).
                smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self.opened:
            try:
                self.backend.close()
            except Exception:
                logger.debug("closing the mail connection failed", exc_info=True)
            self.opened = False

    def abandon(self) -> None:
        """Drop the connection without a goodbye: an unfinished DATA is discarded by the server."""
        smtp = getattr(self.backend, "connection", None)
        if smtp is not None and getattr(smtp, "sock", None) is not None:
            try:
                smtp.sock.shutdown(socket.SHUT_RDWR)
                smtp.sock.close()
            except OSError:
                pass
        self.backend.connection = None
        self.opened = False

    def send(
        self,
        message: EmailMultiAlternatives,
        *,
        mark: Callable[[str], None],
        hand_over: Callable[[], None] | None = None,
    ) -> str:
        if self.two_step:
            return self._send_smtp(message, mark=mark)
        if hand_over is not None:
            hand_over()
        try:
            self.open()
            accepted = self.backend.send_messages([message])
        except Exception as exc:
            self.close()
            raise _api_failure(exc) from exc
        if not accepted:
            raise TransientFailure("the backend did not accept the message")
        status = getattr(message, "anymail_status", None)
        provider_id = (getattr(status, "message_id", None) if status is not None else None) or str(
            message.extra_headers.get("Message-ID", "")
        )
        mark(str(provider_id))
        return str(provider_id)

    def _send_smtp(self, message: EmailMultiAlternatives, *, mark: Callable[[str], None]) -> str:
        encoding = message.encoding or settings.DEFAULT_CHARSET
        return self.send_raw(
            message.message().as_bytes(linesep="\r\n"),
            from_address=sanitize_address(message.from_email, encoding),
            recipients=[sanitize_address(a, encoding) for a in message.recipients()],
            message_id=str(message.extra_headers["Message-ID"]),
            mark=mark,
        )

    def send_raw(
        self,
        data: bytes,
        *,
        from_address: str,
        recipients: list[str],
        message_id: str,
        mark: Callable[[str], None],
    ) -> str:
        """SMTP in two steps around the mark (see the module's docstring)."""
        try:
            self.open()
            smtp = self.backend.connection
            smtp.ehlo_or_helo_if_needed()
            code, reply = smtp.mail(from_address)
            if code != 250:
                smtp.rset()
                raise (PermanentFailure if code >= 500 else TransientFailure)(f"MAIL {code} {reply!r}")
            for address in recipients:
                code, reply = smtp.rcpt(address)
                if code not in (250, 251):
                    smtp.rset()
                    raise (PermanentFailure if code >= 500 else TransientFailure)(f"RCPT {code} {reply!r}")
            code, reply = smtp.docmd("DATA")
            if code != 354:
                smtp.rset()
                raise TransientFailure(f"DATA {code} {reply!r}")
            body = _LEADING_DOT.sub(b"..", data)
            if not body.endswith(b"\r\n"):
                body += b"\r\n"
            smtp.send(body)
        except (smtplib.SMTPException, OSError) as exc:
            self.abandon()
            raise TransientFailure(str(exc)) from exc
        try:
            mark(message_id)  # committed before the server may deliver; refused if we lost the claim
        except BaseException:
            self.abandon()  # no final ".": the server discards the message
            raise
        self.last_reply = None
        try:
            smtp.send(b".\r\n")
            code, reply = smtp.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            # The row is marked sent: whether the server kept the message is not knowable here.
            self.abandon()
            logger.warning("no reply after the end of message %s: %s", message_id, exc)
            return message_id
        if code != 250:
            raise RefusedAfterMark(f"end of DATA {code} {reply!r}")
        self.last_reply = reply.decode("utf-8", "replace")[:200]
        return message_id


class _Copy:
    """One reader's copy in a group: its bytes, and what became of it."""

    __slots__ = ("data", "doubt", "error", "kind", "message_id", "outcome", "recipient", "reply")

    SENT, PERMANENT, TRANSIENT, REFUSED_AFTER_MARK = "sent", "permanent", "transient", "refused-after-mark"

    def __init__(self, recipient: Recipient, *, kind: str, data: bytes, message_id: str) -> None:
        self.recipient = recipient
        self.kind = kind
        self.data = data
        self.message_id = message_id
        self.outcome = ""
        self.error = ""
        self.reply = ""  # the server's answer to the final "." (its queue id), once read
        self.doubt = False  # marked sent, and the server's answer never came

    def acknowledged(self, reply: str = "", *, doubt: bool = False) -> None:
        self.reply = reply[:200]
        self.doubt = doubt

    def failed(self, error: str, *, permanent: bool = False) -> None:
        self.outcome = self.PERMANENT if permanent else self.TRANSIENT
        self.error = error


class SMTPGroup:
    """Several SMTP connections driven by one thread, each conversation moving on as its server
    answers (no thread, no lock): while one server reads a command, the next copy is rendered.

    A connection takes a copy and writes MAIL, RCPT, DATA and the message but its final "." as
    its server answers each. Copies that reached that point wait together ("staged"); when half
    the connections are staged, or nothing else can move, ONE committed mark covers all of them,
    then the final "." goes to each, back to back. One thread means no other thread can hold the
    interpreter between the mark and the dots: the window a kill can hit is those few `send()`
    calls (see the module's docstring), and a group costs one database round trip, not one a copy.
    """

    def __init__(self, size: int) -> None:
        self.transports = [Transport() for _ in range(max(1, size))]
        self.answered: list[_Copy] = []  # marked copies whose "." was answered (or never will be)

    @property
    def size(self) -> int:
        return len(self.transports)

    def close(self) -> None:
        for transport in self.transports:
            transport.close()

    def run(
        self,
        copies: Iterable[_Copy],
        *,
        from_address: str,
        mark: Callable[[list[_Copy], list[_Copy]], None],
        acknowledge: Callable[[list[_Copy]], None],
    ) -> list[_Copy]:
        """Send every copy; returns them, each with its `outcome`. `mark(staged, answered)` marks a
        group sent and records the answers read since the last mark, in one commit; raising
        (LostClaim, a database error) abandons every unfinished conversation: no final ".",
        nothing kept. `acknowledge` records the last answers."""
        self.answered = []
        source = iter(copies)
        handled: list[_Copy] = []
        idle = list(self.transports)
        talking: dict[Transport, tuple[_Copy, str]] = {}  # waiting for the server's reply to a step
        staged: list[tuple[Transport, _Copy]] = []  # the whole message but its final "." written
        exhausted = False
        try:
            while True:
                while idle and not exhausted:
                    copy = next(source, None)
                    if copy is None:
                        exhausted = True
                        break
                    handled.append(copy)
                    transport = idle.pop()
                    if self._write(
                        transport, copy, "mail", f"FROM:{smtplib.quoteaddr(from_address)}", opening=True
                    ):
                        talking[transport] = (copy, "mail")
                    else:
                        idle.append(transport)
                moving = sum(1 for _copy, step in talking.values() if step != "end")
                if staged and moving == 0:
                    answered, self.answered = self.answered, []
                    try:  # one commit; refused if a claim was lost
                        mark([copy for _transport, copy in staged], answered)
                    except BaseException:
                        self.answered = answered + self.answered
                        raise
                    # The window: from that commit to the last of these writes (no reply awaited).
                    for transport, copy in staged:
                        copy.outcome = _Copy.SENT  # marked: whatever follows, never sent again
                        if self._write(transport, copy, "", "", end=True):
                            talking[transport] = (copy, "end")
                        else:
                            logger.warning("the end of message %s could not be written", copy.message_id)
                            idle.append(transport)
                    staged = []
                if not talking:
                    if exhausted and not staged:
                        break
                    continue
                self._answers(talking, idle, staged)
        except BaseException:
            for transport, _copy in staged:
                transport.abandon()  # no final ".": the server discards the message
            for transport in talking:
                transport.abandon()
            raise
        finally:
            if self.answered:
                try:
                    acknowledge(self.answered)
                except Exception:  # unrecorded answers leave the copies to be counted in doubt
                    logger.warning("the servers' answers could not be recorded", exc_info=True)
                self.answered = []
        return handled

    def _answers(
        self,
        talking: dict[Transport, tuple[_Copy, str]],
        idle: list[Transport],
        staged: list[tuple[Transport, _Copy]],
    ) -> None:
        """Read the replies that have come, and take each conversation one step on."""
        sockets = {transport.backend.connection.sock: transport for transport in talking}
        timeout = getattr(self.transports[0].backend, "timeout", None) or 60
        ready, _w, _x = select.select(list(sockets), [], [], timeout)
        if not ready:  # no server answered in time: drop them all, the copies are retried
            for transport, (copy, step) in list(talking.items()):
                transport.abandon()
                if step != "end":
                    copy.failed(f"no reply to {step.upper()} within {timeout} s")
                else:
                    copy.acknowledged(doubt=True)
                    self.answered.append(copy)
                idle.append(transport)
            talking.clear()
            return
        for sock in ready:
            transport = sockets[sock]
            copy, step = talking.pop(transport)
            smtp = transport.backend.connection
            try:
                code, reply = smtp.getreply()
            except (smtplib.SMTPException, OSError) as exc:
                transport.abandon()
                if step == "end":  # marked sent: whether the server kept it is not knowable here
                    logger.warning("no reply after the end of message %s: %s", copy.message_id, exc)
                    copy.acknowledged(doubt=True)
                    self.answered.append(copy)
                else:
                    copy.failed(str(exc))
                idle.append(transport)
                continue
            if step == "end":
                if code != 250:
                    copy.outcome = _Copy.REFUSED_AFTER_MARK
                    copy.error = f"end of DATA {code} {reply!r}"
                else:
                    copy.acknowledged(reply.decode("utf-8", "replace"))
                    self.answered.append(copy)
                idle.append(transport)
                continue
            accepted = {"mail": (250,), "rcpt": (250, 251), "data": (354,)}[step]
            if code not in accepted:
                copy.failed(f"{step.upper()} {code} {reply!r}", permanent=code >= 500 and step != "data")
                try:
                    smtp.rset()
                except (smtplib.SMTPException, OSError):
                    transport.abandon()
                idle.append(transport)
                continue
            if step == "mail":
                if self._write(transport, copy, "rcpt", f"TO:{smtplib.quoteaddr(copy.recipient.email)}"):
                    talking[transport] = (copy, "rcpt")
                else:
                    idle.append(transport)
            elif step == "rcpt":
                if self._write(transport, copy, "data", ""):
                    talking[transport] = (copy, "data")
                else:
                    idle.append(transport)
            elif self._write(transport, copy, "", "", body=True):
                staged.append((transport, copy))
            else:
                idle.append(transport)

    @staticmethod
    def _write(
        transport: Transport,
        copy: _Copy,
        command: str,
        argument: str,
        *,
        opening: bool = False,
        body: bool = False,
        end: bool = False,
    ) -> bool:
        """Write one step of the conversation; False (the copy failed, the connection dropped)
        when the connection breaks."""
        try:
            if opening:
                transport.open()
                transport.backend.connection.ehlo_or_helo_if_needed()
            smtp = transport.backend.connection
            if body:
                data = _LEADING_DOT.sub(b"..", copy.data)
                smtp.send(data if data.endswith(b"\r\n") else data + b"\r\n")
            elif end:
                smtp.send(b".\r\n")
            else:
                smtp.putcmd(command, argument)
        except (smtplib.SMTPException, OSError) as exc:
            transport.abandon()
            if not end:
                copy.failed(str(exc))
            return False
        return True


def _acknowledge(copies: list[_Copy]) -> None:
    """Record the servers' answers to marked copies: the "250" line (the relay's queue id), or
    that the answer never came (in doubt). An answer clears a doubt a sweep may have raised."""
    now = timezone.now()
    doubted = [copy.recipient.pk for copy in copies if copy.doubt]
    answered = [copy for copy in copies if not copy.doubt]
    table = Recipient._meta.db_table
    with connection.cursor() as cursor:
        if answered:
            whens = " ".join(["WHEN %s THEN %s"] * len(answered))
            replies: list[Any] = []
            for copy in answered:
                replies += [copy.recipient.pk, copy.reply]
            cursor.execute(
                f"UPDATE {table} SET accepted_at = %s, in_doubt = %s, "  # noqa: S608
                f"relay_reply = CASE id {whens} END WHERE id IN ({', '.join(['%s'] * len(answered))})",
                [now, False, *replies, *[copy.recipient.pk for copy in answered]],
            )
        if doubted:
            Recipient.objects.filter(pk__in=doubted, accepted_at__isnull=True).update(in_doubt=True)


def _mark_group(copies: list[_Copy], answered: list[_Copy], *, claim: str) -> None:
    """Mark every copy of a group sent in one committed UPDATE, or none (LostClaim); the answers
    to the previous group's dots are recorded in the same commit.

    Plain SQL: the ORM's Case/When for a group's per-row values cost more than the round trip."""
    ids = [copy.recipient.pk for copy in copies]
    message_ids: list[Any] = []
    kinds: list[Any] = []
    for copy in copies:
        message_ids += [copy.recipient.pk, copy.message_id[:255]]
        kinds += [copy.recipient.pk, copy.kind]
    whens = " ".join(["WHEN %s THEN %s"] * len(copies))
    marks = ", ".join(["%s"] * len(ids))
    table = Recipient._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if answered:
            _acknowledge(answered)
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, error = '', "  # noqa: S608
            f"provider_message_id = CASE id {whens} END, reader_kind = CASE id {whens} END "
            f"WHERE id IN ({marks}) AND claimed_by = %s AND status = %s",
            [Status.SENT.value, timezone.now(), *message_ids, *kinds, *ids, claim, Status.CLAIMED.value],
        )
        if cursor.rowcount != len(ids):
            raise LostClaim(ids)  # rolls the whole group back: none of it is marked


# -- the run ------------------------------------------------------------------------------------------


def _pending_or_claimed(issue_id: int) -> tuple[int, datetime | None]:
    """Rows not finished, and when the oldest live claim (another worker's) runs out."""
    rows = Recipient.objects.filter(issue_id=issue_id, status__in=[Status.PENDING, Status.CLAIMED])
    oldest = (
        rows.filter(status=Status.CLAIMED).order_by("claimed_at").values_list("claimed_at", flat=True).first()
    )
    return rows.count(), (oldest + lease() if oldest else None)


def refresh_counts(issue_id: int) -> dict[str, int]:
    counts = dict(
        Recipient.objects.filter(issue_id=issue_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    in_doubt = Recipient.objects.filter(issue_id=issue_id, in_doubt=True).count()
    Issue.objects.filter(pk=issue_id).update(
        recipients_total=sum(counts.values()),
        sent_count=counts.get(Status.SENT, 0),
        skipped_count=counts.get(Status.SKIPPED, 0),
        failed_count=counts.get(Status.FAILED, 0),
        in_doubt_count=in_doubt,
    )
    counts["in_doubt"] = in_doubt
    return counts


def flag_in_doubt(issue_id: int, *, now: datetime | None = None) -> int:
    """Copies marked sent over SMTP whose server never acknowledged them, by a worker that is gone
    (marked longer than a lease ago): the worker died between its mark and the server's "250"
    (or lost the connection there). The server may or may not have them; they are not sent again
    (a duplicate is worse than the doubt) and the issue counts them for the editor."""
    now = now or timezone.now()
    return Recipient.objects.filter(
        issue_id=issue_id,
        status=Status.SENT,
        accepted_at__isnull=True,
        in_doubt=False,
        sent_at__lt=now - lease(),
    ).update(in_doubt=True)


def concurrency_setting() -> int:
    return max(1, int(getattr(settings, "MASTHEAD_NEWSLETTER_CONNECTIONS", 8)))


def send_issue(
    issue_id: int,
    *,
    worker_id: str,
    batch_size: int = BATCH_SIZE,
    wait_for_others: bool = False,
    max_wait: float = 3600.0,
    concurrency: int | None = None,
) -> SendResult:
    """Send (or resume) an issue in this process until no row is left to claim.

    `concurrency` SMTP connections send at once, each in its own thread with its own database
    connection and its own claims (one when called inside a transaction, whose rows other
    connections could not see). `wait_for_others`: when rows are still claimed by another worker,
    wait for them to be sent or for their lease to run out (then claim them) instead of returning
    (the command's --foreground).
    """
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    if issue.status == Issue.Status.CANCELLED:
        counts = refresh_counts(issue_id)
        return SendResult(
            0, counts.get(Status.SENT, 0) + counts.get(Status.SKIPPED, 0), counts.get(Status.FAILED, 0)
        )
    now = timezone.now()
    Issue.objects.filter(pk=issue_id).exclude(status__in=[Issue.Status.SENDING, Issue.Status.SENT]).update(
        status=Issue.Status.SENDING
    )
    Issue.objects.filter(pk=issue_id, started_at__isnull=True).update(started_at=now)
    if issue.recipients_total == 0:
        create_recipients(issue, now=now)
    flag_in_doubt(issue_id, now=now)
    sent_before = Recipient.objects.filter(issue_id=issue_id, status=Status.SENT).count()
    renderer = IssueRenderer(issue)
    renderer.articles()  # loaded once, shared by the threads
    connections = concurrency or concurrency_setting()
    if isinstance(get_connection(), SMTPBackend):
        # SMTP: one thread drives all the connections in lockstep (SMTPGroup), never threads.
        threads, group = 1, connections
    else:
        threads, group = (1 if connection.in_atomic_block else connections), 1
    sent_now = 0
    deadline = time.monotonic() + max_wait
    while True:
        if threads == 1:
            sent_now += _drain(
                issue, worker_id=worker_id, batch_size=batch_size, renderer=renderer, connections=group
            )
        else:
            with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="newsletter") as pool:
                futures = [
                    pool.submit(
                        _drain_in_thread,
                        issue,
                        worker_id=f"{worker_id}/{n}",
                        batch_size=batch_size,
                        renderer=renderer,
                    )
                    for n in range(threads)
                ]
                sent_now += sum(future.result() for future in futures)
        left, lease_ends = _pending_or_claimed(issue_id)
        if not left or not wait_for_others or time.monotonic() > deadline:
            break
        wait = 1.0 if lease_ends is None else (lease_ends - timezone.now()).total_seconds() + 0.2
        time.sleep(min(max(wait, 0.2), 5.0))
    flag_in_doubt(issue_id)
    counts = refresh_counts(issue_id)
    left = counts.get(Status.PENDING, 0) + counts.get(Status.CLAIMED, 0)
    if not left:
        Issue.objects.filter(pk=issue_id).exclude(status=Issue.Status.CANCELLED).update(
            status=Issue.Status.SENT, finished_at=timezone.now()
        )
    skipped = counts.get(Status.SKIPPED, 0) + sent_before
    return SendResult(
        sent=sent_now, skipped=skipped, failed=counts.get(Status.FAILED, 0), in_doubt=counts["in_doubt"]
    )


def _drain(
    issue: Issue, *, worker_id: str, batch_size: int, renderer: IssueRenderer, connections: int = 1
) -> int:
    """Claim and send batches until none is left to claim (one thread; for SMTP, `connections`
    connections in lockstep, otherwise one)."""
    transport = Transport()
    group = SMTPGroup(connections) if transport.two_step else None
    provider = None if transport.two_step else batch_provider(transport.backend)
    if provider is not None:  # a claim holds at least one provider batch
        batch_size = max(batch_size, provider.size)
    sent = 0
    counted = time.monotonic()
    try:
        while claim := claim_batch(issue.pk, worker_id=worker_id, size=batch_size):
            sent += _send_batch(issue, claim=claim, renderer=renderer, transport=transport, group=group)
            if time.monotonic() - counted > COUNTS_EVERY:  # the issue desk's progress (a count of all rows)
                refresh_counts(issue.pk)
                counted = time.monotonic()
    finally:
        transport.close()
        if group is not None:
            group.close()
    return sent


def _drain_in_thread(issue: Issue, *, worker_id: str, batch_size: int, renderer: IssueRenderer) -> int:
    from django.db import close_old_connections

    try:
        return _drain(issue, worker_id=worker_id, batch_size=batch_size, renderer=renderer)
    finally:
        close_old_connections()
        connection.close()


def _send_batch(
    issue: Issue,
    *,
    claim: str,
    renderer: IssueRenderer,
    transport: Transport,
    group: SMTPGroup | None = None,
) -> int:
    from masthead.billing.models import Subscription

    batch = list(
        Recipient.objects.filter(claimed_by=claim, status=Status.CLAIMED)
        .select_related("reader")
        .only(
            "pk",
            "email",
            "attempts",
            "reader_kind",
            "issue_id",
            "reader__is_staff",
            "reader__language",
            "reader__is_active",
        )
        .order_by("pk")
    )
    reader_ids = [r.reader_id for r in batch if r.reader_id is not None]
    subscriptions = dict(
        NewsletterSubscription.objects.active()
        .filter(newsletter_id=issue.newsletter_id, reader_id__in=reader_ids)
        .values_list("reader_id", "created_at")
    )
    suppressed = set(
        Suppression.objects.filter(email__in=[r.email.strip().lower() for r in batch]).values_list(
            "email", flat=True
        )
    )
    kinds = reader_kinds_of_accounts(
        identities=[ReaderIdentity.for_user(r.reader) for r in batch if r.reader is not None]
    )
    # Billing's rule for the offer a reader can take: did they subscribe before? (one query)
    returning = set(
        Subscription.objects.filter(user_id__in=reader_ids).started().values_list("user_id", flat=True)
    )
    from_address = sanitize_address(renderer.from_address(), settings.DEFAULT_CHARSET)
    renewed = time.monotonic()
    one_by_one: list[tuple[Recipient, ReaderKind, dict[str, Any]]] = []  # not through the group

    def copies() -> Iterator[_Copy]:
        """The batch's copies, each rendered when a connection is free for it."""
        nonlocal renewed
        for recipient in batch:
            if time.monotonic() - renewed > lease().total_seconds() / 3:
                renew(claim)
                renewed = time.monotonic()
            reason = _skip_reason(recipient, subscriptions=subscriptions, suppressed=suppressed)
            kind = kinds.get(recipient.reader_id) if recipient.reader_id is not None else None
            if (
                not reason
                and kind is not None
                and issue.newsletter.audience == Newsletter.Audience.SUBSCRIBERS
            ):
                reason = "" if kind in ENTITLED_KINDS else "not a subscriber"
            if reason or kind is None:
                Recipient.objects.filter(pk=recipient.pk, claimed_by=claim, status=Status.CLAIMED).update(
                    status=Status.SKIPPED, skip_reason=reason or "no account"
                )
                continue
            details = {
                "to": recipient.email,
                "kind": kind,
                "user_id": recipient.reader_id,
                "language": reader_language(user=recipient.reader),
                "since": subscriptions.get(recipient.reader_id),
                "recipient_id": recipient.pk,
                "returning": recipient.reader_id in returning,
            }
            raw = renderer.raw_message(**details) if group is not None else None
            if raw is None:
                one_by_one.append((recipient, kind, details))
                continue
            message_id = message_id_for(issue_id=issue.pk, recipient_id=recipient.pk)
            yield _Copy(recipient, kind=kind.value, data=raw, message_id=message_id)

    sent = 0
    if group is not None:
        try:
            handled = group.run(
                copies(),
                from_address=from_address,
                mark=lambda cs, answered: _mark_group(cs, answered, claim=claim),
                acknowledge=_acknowledge,
            )
        except LostClaim:
            logger.warning("claim %s lost: another worker took over; leaving the rest to it", claim)
            return 0
        for copy in handled:
            if copy.outcome == _Copy.SENT:
                sent += 1
            elif copy.outcome == _Copy.REFUSED_AFTER_MARK:
                _fail(copy.recipient.pk, claim=claim, error=copy.error, marked=True)
            elif copy.outcome == _Copy.PERMANENT:
                _fail(copy.recipient.pk, claim=claim, error=copy.error)
            else:
                logger.warning(
                    "sending to recipient %s failed, will retry: %s", copy.recipient.pk, copy.error
                )
                _release(copy.recipient, claim=claim, error=copy.error)
        if handled and not sent and all(copy.outcome == _Copy.TRANSIENT for copy in handled):
            # The server is not answering: give the rest of the batch back and stop this run.
            _release_claim(claim)
            raise TransientFailure(handled[0].error)
    else:
        list(copies())  # without a group nothing is yielded: every copy goes one by one, below
        provider = None if transport.two_step else batch_provider(transport.backend)
        if provider is not None and one_by_one:
            try:
                batch_sent, one_by_one = _send_provider_batches(
                    one_by_one, claim=claim, renderer=renderer, transport=transport, provider=provider
                )
            except LostClaim:
                logger.warning("claim %s lost: another worker took over; leaving the rest to it", claim)
                return sent
            sent += batch_sent
    for position, (recipient, kind, details) in enumerate(one_by_one):

        def mark(message_id: str, r: Recipient = recipient, k: str = kind.value) -> None:
            _mark_sent(r.pk, claim=claim, message_id=message_id, kind=k, accepted=not transport.two_step)

        def hand_over(r: Recipient = recipient) -> None:
            _hand_over([r.pk], claim=claim, batch_id=f"one:{r.pk}:{uuid.uuid4().hex[:12]}")

        try:
            transport.send(renderer.message(**details), mark=mark, hand_over=hand_over)
            sent += 1
            if transport.two_step:
                Recipient.objects.filter(pk=recipient.pk, status=Status.SENT).update(
                    accepted_at=None if transport.last_reply is None else timezone.now(),
                    relay_reply=transport.last_reply or "",
                    in_doubt=transport.last_reply is None,
                )
        except LostClaim:
            logger.warning("claim %s lost: another worker took over; leaving the rest to it", claim)
            return sent
        except RefusedAfterMark as exc:
            _fail(recipient.pk, claim=claim, error=str(exc), marked=True)
        except PermanentFailure as exc:
            _fail(recipient.pk, claim=claim, error=str(exc))
        except TransientFailure as exc:
            logger.warning("sending to recipient %s failed, will retry: %s", recipient.pk, exc)
            _release(recipient, claim=claim, error=str(exc), in_doubt=exc.in_doubt)
            if position == 0 or not transport.two_step:
                # The server is not answering: give the rest of the batch back and stop this run.
                _release_claim(claim)
                raise
        if time.monotonic() - renewed > lease().total_seconds() / 3:
            renew(claim)
            renewed = time.monotonic()
    return sent


# -- provider batches (see `batches`) ------------------------------------------------------------------

_Entry = tuple[Recipient, ReaderKind, dict[str, Any]]
_ACCEPTED = {"sent", "queued", "scheduled", "unknown"}  # "unknown": the provider reports it later
_REFUSED = {"rejected", "invalid"}


def _send_provider_batches(
    entries: list[_Entry],
    *,
    claim: str,
    renderer: IssueRenderer,
    transport: Transport,
    provider: BatchProvider,
) -> tuple[int, list[_Entry]]:
    """Send the entries in provider batches, one per variant and up to the provider's size.
    Returns how many were sent, and the entries to send one by one (a call the provider refused
    as a whole, so that only the copy at fault fails; an address twice in one variant)."""
    variants: dict[tuple[Any, ...], list[_Entry]] = {}
    alone: list[_Entry] = []
    seen: set[tuple[Any, ...]] = set()
    for entry in entries:
        _recipient, kind, details = entry
        variant = (kind, details["language"], details["returning"])
        address = (variant, details["to"].lower())
        if address in seen:  # two readers with one address: their merge data would collide
            alone.append(entry)
            continue
        seen.add(address)
        variants.setdefault(variant, []).append(entry)
    sent = 0
    for (kind, language, returning), members in variants.items():
        for start in range(0, len(members), provider.size):
            chunk = members[start : start + provider.size]
            try:
                sent += _send_provider_batch(
                    chunk,
                    kind=kind,
                    language=language,
                    returning=returning,
                    claim=claim,
                    renderer=renderer,
                    transport=transport,
                    provider=provider,
                )
            except PermanentFailure as exc:
                logger.warning("the provider refused a batch of %s (%s): sending each alone", len(chunk), exc)
                Recipient.objects.filter(pk__in=[r.pk for r, _k, _d in chunk]).update(batch_id="")
                alone += chunk
    return sent, alone


def _send_provider_batch(
    chunk: list[_Entry],
    *,
    kind: ReaderKind,
    language: str,
    returning: bool,
    claim: str,
    renderer: IssueRenderer,
    transport: Transport,
    provider: BatchProvider,
) -> int:
    """One provider call for a chunk of one variant: handed over (committed), sent, then each
    row marked by what the provider said of its recipient, in one commit."""
    from anymail.exceptions import AnymailRecipientsRefused

    people = [
        renderer.personal_parts(
            to=d["to"], user_id=d["user_id"], language=d["language"], since=d["since"], recipient_id=r.pk
        )
        for r, _k, d in chunk
    ]
    message = renderer.batch_message(
        kind=kind, language=language, returning=returning, recipients=people, provider=provider
    )
    _hand_over([r.pk for r, _k, _d in chunk], claim=claim, batch_id=f"batch:{uuid.uuid4().hex}")
    try:
        transport.open()
        transport.backend.send_messages([message])
    except AnymailRecipientsRefused:
        pass  # every recipient refused: anymail_status says which and why
    except Exception as exc:
        transport.close()
        failure = _api_failure(exc)
        if isinstance(failure, TransientFailure):
            logger.warning("a batch of %s failed, will retry: %s", len(chunk), failure)
            for recipient, _k, _d in chunk:
                _release(recipient, claim=claim, error=str(failure), in_doubt=failure.in_doubt)
            _release_claim(claim)  # the provider is not answering: the rest waits for the next run
        raise failure from exc
    statuses = {
        address.lower(): status
        for address, status in (getattr(message, "anymail_status", None).recipients or {}).items()  # type: ignore[union-attr]
    }
    accepted: list[tuple[int, str, str, str]] = []
    for recipient, _kind, details in chunk:
        status = statuses.get(details["to"].lower())
        state = str(getattr(status, "status", "unknown") or "unknown")
        if state in _ACCEPTED:
            provider_id = getattr(status, "message_id", None) or message_id_for(
                issue_id=recipient.issue_id, recipient_id=recipient.pk
            )
            accepted.append((recipient.pk, str(provider_id), kind.value, state))
        elif state in _REFUSED:
            _fail(recipient.pk, claim=claim, error=f"the provider refused this address ({state})")
        else:
            _release(recipient, claim=claim, error=f"the provider did not send it ({state})")
    _mark_accepted(accepted, claim=claim)
    return len(accepted)


def _mark_accepted(rows: list[tuple[int, str, str, str]], *, claim: str) -> None:
    """Mark a provider batch's accepted copies sent, with each recipient's provider message id, in
    one committed UPDATE. A lost claim is logged: the provider has these copies already."""
    if not rows:
        return
    table = Recipient._meta.db_table
    whens = " ".join(["WHEN %s THEN %s"] * len(rows))
    ids = [pk for pk, _id, _kind, _state in rows]
    provider_ids = [value for pk, provider_id, _k, _s in rows for value in (pk, provider_id[:255])]
    kinds = [value for pk, _id, kind, _s in rows for value in (pk, kind)]
    replies = [value for pk, _id, _k, state in rows for value in (pk, state)]
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, accepted_at = %s, error = '', "  # noqa: S608
            f"provider_message_id = CASE id {whens} END, reader_kind = CASE id {whens} END, "
            f"relay_reply = CASE id {whens} END "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))}) AND claimed_by = %s AND status = %s",
            [Status.SENT.value, now, now, *provider_ids, *kinds, *replies, *ids, claim, Status.CLAIMED.value],
        )
        if cursor.rowcount != len(ids):
            logger.error(
                "claim %s ran out during a provider call: %s rows may be sent twice", claim, len(ids)
            )


def _skip_reason(recipient: Recipient, *, subscriptions: dict[int, Any], suppressed: set[str]) -> str:
    if recipient.reader is None or not recipient.reader.is_active:
        return "no account"
    if recipient.email.strip().lower() in suppressed:
        return "suppressed"
    if recipient.reader_id not in subscriptions:
        return "unsubscribed"
    return ""


# -- the task worker, tests and the admin --------------------------------------------------------------


@task(backend="worker")
def send_issue_task(issue_id: int) -> str:
    return str(send_issue(issue_id, worker_id=f"task-{socket.gethostname()}-{os.getpid()}"))


def enqueue_issue(issue: Issue) -> None:
    """Mark the issue sending and hand it to the task worker (never sent in a web request)."""
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, started_at=timezone.now())
    issue.status = Issue.Status.SENDING
    transaction.on_commit(lambda: send_issue_task.enqueue(issue.pk))


def enqueue_due_issues(*, now: datetime | None = None) -> int:
    """Scheduled issues whose time has come go to the task worker (the newsroom clock calls this)."""
    now = now or timezone.now()
    due = list(Issue.objects.filter(status=Issue.Status.SCHEDULED, send_at__lte=now))
    for issue in due:
        enqueue_issue(issue)
    return len(due)


def resume_stalled_issues(*, now: datetime | None = None) -> int:
    """Issues left sending by a worker that died: enqueue them again once their claims ran out."""
    now = now or timezone.now()
    stalled = (
        Issue.objects.filter(status=Issue.Status.SENDING)
        .filter(
            Q(recipients__status=Status.PENDING)
            | Q(recipients__status=Status.CLAIMED, recipients__claimed_at__lt=now - lease())
            # a worker that died after its last mark: the run that finds nothing to send counts the
            # copies in doubt and closes the issue
            | Q(
                recipients__status=Status.SENT,
                recipients__accepted_at__isnull=True,
                recipients__in_doubt=False,
                recipients__sent_at__lt=now - lease(),
            )
        )
        .distinct()
    )
    issues = list(stalled)
    for issue in issues:
        transaction.on_commit(lambda pk=issue.pk: send_issue_task.enqueue(pk))
    return len(issues)


def send_test(issue: Issue, to_user: Any) -> None:
    """A test copy to an editor, marked [TEST] (as that editor's reader kind would receive it)."""
    message = render_issue(issue, to_user, test=True)
    message.send()
