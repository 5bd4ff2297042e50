"""`manage.py generate_analytics_demo`: 90 days of believable reader traffic and the billing records
it led to, rolled up so the dashboard tells a story on first run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Generate demo analytics events (and the matching subscriptions and payments), then roll them up."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90)
        parser.add_argument("--readers", type=int, default=4000)
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args: Any, **options: Any) -> None:
        from masthead.analytics.demo import generate
        from masthead.analytics.rollup import roll_up

        made = generate(days=options["days"], readers=options["readers"], seed=options["seed"])
        if not made.events:
            self.stdout.write("No live articles or no plan on sale: nothing generated.")
            return
        self.stdout.write(
            f"Generated {made.events} events, {len(made.accounts)} reader accounts and "
            f"{len(made.subscriptions)} subscriptions over {options['days']} days."
        )
        self.stdout.write(roll_up())
