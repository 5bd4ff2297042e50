"""Experiment edits made from another process (`python -m tests.analytics.experiments.live_edits
<edit>`), on the live deployment's database and shared cache, as the admin on another host would."""

from __future__ import annotations

import os
import sys


def open_to_fresh_readers() -> None:
    # Every fresh reader of the test comes from 127.0.0.1: no daily cap on new meters from it.
    from wagtail.models import Site

    from masthead.access.models import MeterSettings

    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.new_reader_exempt_networks = "127.0.0.0/8"
    meter.save()


def start() -> None:
    # An A/A test with a hard wall: both arms give anonymous readers no free article, so every
    # fresh reader shows whether their worker obeys the experiment, whichever arm they are in.
    from masthead.analytics.experiments.models import Experiment, Variant
    from masthead.analytics.experiments.services import start_experiment

    experiment = Experiment.objects.create(slug="live-hard-wall", name="Hard wall")
    for order, key in enumerate(("a", "b")):
        Variant.objects.create(experiment=experiment, sort_order=order, key=key, share=1, anonymous_limit=0)
    start_experiment(experiment=experiment)


def stop() -> None:
    from masthead.analytics.experiments.models import Experiment
    from masthead.analytics.experiments.services import stop_experiment

    stop_experiment(experiment=Experiment.objects.get(slug="live-hard-wall"))


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    globals()[sys.argv[1]]()
