"""The demo experiment tells its story: a fair split, more registrations, fewer article views."""

from __future__ import annotations

from io import StringIO

import pytest

from masthead.analytics.experiments.demo import build_demo_experiment
from masthead.analytics.experiments.models import Experiment
from masthead.analytics.experiments.results import experiment_results

pytestmark = pytest.mark.django_db


def test_the_demo_experiment_is_finished_fair_and_shows_a_trade_off() -> None:
    out = StringIO()
    build_demo_experiment(out)
    build_demo_experiment(out)  # a second build keeps the first one's
    assert Experiment.objects.count() == 1 and "already in place" in out.getvalue()
    experiment = Experiment.objects.get()
    assert experiment.status == "stopped" and experiment.stopped_at is not None
    figures = experiment_results(experiment)
    control, two_free = figures.variants
    assert figures.readers == 12_000 and not figures.srm_alarm
    assert two_free.registration_rate > control.registration_rate
    assert two_free.views_per_reader < control.views_per_reader  # the guardrail pays for it
    assert two_free.revenue_minor > 0 and figures.currency == "USD"
