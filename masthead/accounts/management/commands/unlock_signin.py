"""Let a reader (or an office behind one address) sign in again before the lock runs out."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.accounts import signin_gate


class Command(BaseCommand):
    help = "Drop the failed sign-in count of accounts (by e-mail) and/or client addresses."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("emails", nargs="*", help="e-mail addresses of the accounts to unlock")
        parser.add_argument("--address", action="append", default=[], help="a client IP address to unlock")

    def handle(self, *args: Any, emails: list[str], address: list[str], **options: Any) -> None:
        if not emails and not address:
            raise CommandError("Name at least one e-mail address or --address.")
        networks = []
        for raw in address:
            network = signin_gate.address_key(raw)
            if network is None:
                raise CommandError(f"{raw!r} is not an IP address.")
            networks.append(network)
        dropped = sum(signin_gate.forget(account=email) for email in emails)
        dropped += sum(signin_gate.forget(address=network) for network in networks)
        self.stdout.write(f"Dropped {dropped} sign-in count(s).")
