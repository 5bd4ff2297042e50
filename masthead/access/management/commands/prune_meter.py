"""Delete counted reads no period can still use (the Redis store expires its own keys)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from masthead.access.models import MeterRead
from masthead.access.paywall_config import paywall_config


class Command(BaseCommand):
    help = "Delete meter reads older than any current period (run daily, e.g. from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        config = paywall_config(request=None)
        # A calendar month never reaches back more than 31 days; a rolling window N days. Keep
        # a month more, so a settings change back and forth loses nothing a reader is owed.
        keep_days = max(config.rolling_days, 31) + 31
        cutoff = int((timezone.now() - timedelta(days=keep_days)).timestamp())
        deleted, _ = MeterRead.objects.filter(read_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} meter reads older than {keep_days} days.")
