"""`manage.py preview_newsletter_issue ISSUE_ID|latest --as EMAIL`: the MIME message that reader
would get, headers included (nothing is sent, nothing is recorded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.newsletters.management.commands.send_newsletter_issue import find_issue
from masthead.newsletters.rendering import render_issue


class Command(BaseCommand):
    help = "Print the MIME message a reader would receive for an issue."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("issue", help="The issue's id, or 'latest'.")
        parser.add_argument("--as", dest="email", required=True, help="The reader's e-mail address.")

    def handle(self, *args: Any, **options: Any) -> None:
        issue = find_issue(options["issue"])
        reader = get_user_model().objects.filter(email__iexact=options["email"].strip()).first()
        if reader is None:
            raise CommandError(f"No reader with the address {options['email']}.")
        message = render_issue(issue, reader)
        self.stdout.write(message.message().as_string())
