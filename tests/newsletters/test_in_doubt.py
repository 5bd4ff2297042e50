"""Copies in doubt: marked sent over SMTP by a worker that died before the server's answer to
their final "." was recorded. They are counted for the editor, never sent again, and an issue left
"sending" by such a worker is picked up by the newsroom clock and closed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from masthead.newsletters.models import Issue, Recipient
from masthead.newsletters.sending import resume_stalled_issues, send_issue
from tests.newsletters.conftest import make_issue, make_kind_of_reader, subscribe_all

pytestmark = pytest.mark.django_db


def test_an_issue_whose_worker_died_after_its_last_mark_is_closed_with_its_doubts_counted(
    newsletter: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    readers = [make_kind_of_reader("registered", f"d{n}@example.com") for n in range(3)]
    subscribe_all(newsletter, readers)
    issue = make_issue(newsletter)
    Issue.objects.filter(pk=issue.pk).update(status="sending", recipients_total=3)
    long_ago = timezone.now() - timedelta(hours=1)
    for n, reader in enumerate(readers):  # all marked sent; the server answered only the first
        Recipient.objects.create(
            issue=issue, reader=reader, email=reader.email, status="sent", sent_at=long_ago,
            accepted_at=long_ago if n == 0 else None, relay_reply="2.0.0 Ok: queued as 4F1" if n == 0 else "",
        )  # fmt: skip
    assert resume_stalled_issues() == 1  # nothing pending, yet the issue is picked up
    result = send_issue(issue.pk, worker_id="clock")
    assert (result.sent, result.in_doubt) == (0, 2)
    assert mail.outbox == []  # never sent again
    issue.refresh_from_db()
    assert (issue.status, issue.sent_count, issue.in_doubt_count) == ("sent", 3, 2)
    assert resume_stalled_issues() == 0


def test_a_copy_marked_a_moment_ago_is_not_in_doubt(newsletter: Any, settings: Any) -> None:
    # (its worker may be reading the server's answer right now)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reader = make_kind_of_reader("registered", "fresh@example.com")
    subscribe_all(newsletter, [reader])
    issue = make_issue(newsletter)
    Recipient.objects.create(
        issue=issue, reader=reader, email=reader.email, status="sent", sent_at=timezone.now()
    )
    Issue.objects.filter(pk=issue.pk).update(recipients_total=1)
    assert send_issue(issue.pk, worker_id="t").in_doubt == 0
