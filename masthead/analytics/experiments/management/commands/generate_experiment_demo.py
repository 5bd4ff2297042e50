"""`manage.py generate_experiment_demo`: one finished paywall experiment with believable results."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Generate a finished demo experiment (two free articles instead of three) and its events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--readers", type=int, default=12_000)
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args: Any, **options: Any) -> None:
        from masthead.analytics.experiments.demo import generate_experiment_demo
        from masthead.analytics.experiments.results import experiment_results

        made = generate_experiment_demo(readers=options["readers"], seed=options["seed"])
        figures = experiment_results(made.experiment)
        self.stdout.write(
            f"Experiment '{made.experiment.slug}': {made.events} events from {made.readers} readers."
        )
        for v in figures.variants:
            lift = "" if v.lift is None else f", lift {v.lift * 100:+.1f} %, p = {v.p_value:.4f}"
            self.stdout.write(
                f"  {v.key}: {v.conversions} of {v.readers} registered ({v.rate * 100:.2f} %{lift})"
            )
        self.stdout.write(
            f"  sample-ratio check: p = {figures.srm_p:.3f}" if figures.srm_p is not None else ""
        )
