"""Repair subscription state from Stripe after missed webhooks: Stripe's current view wins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from masthead.billing.reconcile import reconcile_from_stripe


class Command(BaseCommand):
    help = "Fetch every subscription from Stripe and bring local subscriptions and access up to date."

    def handle(self, *args: Any, **options: Any) -> None:
        report = reconcile_from_stripe()
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write(f"Checked {report.checked}, changed {report.changed}, unknown {report.unknown}.")
