"""Enqueue the billing sweep (tidy statuses, send due e-mails). Run it from cron every few minutes;
`manage.py db_worker --backend worker` runs the queued task."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from masthead.billing.tasks import billing_sweep


class Command(BaseCommand):
    help = "Enqueue the billing sweep: tidy ended subscriptions and send due billing e-mails."

    def handle(self, *args: Any, **options: Any) -> None:
        result = billing_sweep.enqueue()
        self.stdout.write(f"Enqueued billing sweep {result.id}.")
