"""`manage.py send_newsletter_issue ISSUE_ID|latest [--foreground]`.

With --foreground the issue is sent (or resumed after a crash) in this process, and the last line
printed is `sent N, skipped M, failed K`; without it, the issue goes to the task worker.
"""

from __future__ import annotations

import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.newsletters.models import Issue
from masthead.newsletters.sending import TransientFailure, enqueue_issue, send_issue


def find_issue(ref: str) -> Issue:
    if ref == "latest":
        issue = Issue.objects.order_by("-created_at", "-pk").first()
    elif ref.isdigit():
        issue = Issue.objects.filter(pk=int(ref)).first()
    else:
        raise CommandError(f"ISSUE_ID is a number or 'latest', not {ref!r}.")
    if issue is None:
        raise CommandError(f"No newsletter issue {ref}.")
    return issue


class Command(BaseCommand):
    help = "Send (or resume) a newsletter issue; prints 'sent N, skipped M, failed K'."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issue", help="The issue's id, or 'latest'.")
        parser.add_argument(
            "--foreground", action="store_true", help="Send in this process instead of on the task worker."
        )
        parser.add_argument("--batch-size", type=int, default=100)
        parser.add_argument("--worker-id", default="", help="Names this process in the recipients' claims.")

    def handle(self, *args: Any, **options: Any) -> None:
        issue = find_issue(options["issue"])
        if issue.status == Issue.Status.CANCELLED:
            raise CommandError(f"Issue {issue.pk} is cancelled.")
        if not options["foreground"]:
            enqueue_issue(issue)
            self.stdout.write(f"Issue {issue.pk} handed to the task worker.")
            return
        worker = options["worker_id"] or f"cli-{socket.gethostname()}-{os.getpid()}"
        self.stdout.write(f"Sending issue {issue.pk} “{issue.subject}” as {worker}")
        try:
            result = send_issue(
                issue.pk, worker_id=worker, batch_size=options["batch_size"], wait_for_others=True
            )
        except TransientFailure as exc:
            raise CommandError(f"The mail server failed: {exc}. Run the command again to resume.") from exc
        if result.in_doubt:
            self.stdout.write(
                f"in doubt {result.in_doubt}: handed to the mail server or provider by a worker that died"
                " before its answer (see the issue's page)"
            )
        self.stdout.write(str(result))
