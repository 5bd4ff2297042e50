"""A finished demo experiment with believable results: "two free articles instead of three".

Readers are assigned by the real hash (so the split is as fair as the site's would be), read a
few articles each, meet the registration wall after their variant's limit, and some register and
later subscribe. The variant with one article fewer walls more readers: more of them register
(the primary metric), they read a little less (the guardrail). Called as
`generate_experiment_demo()` or `manage.py generate_experiment_demo`; it replaces an earlier run.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from masthead.analytics.experiments.assignment import VariantRule, choose
from masthead.analytics.experiments.models import Experiment, Metric, Status, Variant

SLUG = "two-free-articles"
# Per reader who meets the wall: the chance to register (a reader walled sooner is a little less
# committed), then, of those, to subscribe within the window.
REGISTER_AT_WALL = {"control": 0.105, "two-free": 0.1}
SUBSCRIBE_AFTER_REGISTERING = 0.16
PRICE_MINOR = 900  # the introductory offer: 3 months for $9


@dataclass(frozen=True)
class DemoExperiment:
    experiment: Experiment
    events: int
    readers: int


def generate_experiment_demo(
    *, readers: int = 12_000, seed: int = 14, now: datetime | None = None
) -> DemoExperiment:
    from masthead.analytics.models import Event
    from masthead.news.models import ArticlePage

    rng = random.Random(seed)
    now = now or timezone.now()
    started = (now - timedelta(days=45)).replace(hour=9, minute=0, second=0, microsecond=0)
    stopped = started + timedelta(days=28)
    articles = list(ArticlePage.objects.live().filter(sponsor__isnull=True).values_list("pk", flat=True)) or [
        None
    ]
    rules = (VariantRule("control", 50), VariantRule("two-free", 50, anonymous_limit=2))
    limits = {"control": 3, "two-free": 2}
    events: list[Event] = []
    with transaction.atomic():
        Event.objects.filter(experiment=SLUG).delete()
        Experiment.objects.filter(slug=SLUG).delete()
        experiment = Experiment.objects.create(
            slug=SLUG,
            name="Two free articles instead of three",
            hypothesis=(
                "Anonymous readers who meet the registration wall one article sooner register more often, "
                "and read only a little less."
            ),
            primary_metric=Metric.REGISTRATIONS,
            status=Status.STOPPED,
            started_at=started,
            stopped_at=stopped,
        )
        Variant.objects.create(
            experiment=experiment, sort_order=0, key="control", label="Three free", share=50
        )
        Variant.objects.create(
            experiment=experiment, sort_order=1, key="two-free", label="Two free", share=50, anonymous_limit=2
        )
        for n in range(readers):
            unit = f"a:demo-{seed}-{n}"
            variant = choose(slug=SLUG, unit=unit, variants=rules).key
            reader = hashlib.sha256(f"experiment-demo:{unit}".encode()).hexdigest()[:32]
            stamp = {"experiment": SLUG, "variant": variant}
            at = started + timedelta(seconds=rng.randrange(28 * 86400 - 7200))
            wanted = rng.choices([1, 2, 3, 4, 5, 6], weights=[38, 22, 14, 11, 8, 7])[0]
            limit = limits[variant]
            walled = False
            for k in range(1, wanted + 1):
                article = rng.choice(articles)
                over = k > limit
                events.append(
                    Event(
                        at=at,
                        kind="view",
                        reader=reader,
                        article_id=article,
                        reader_kind="anonymous",
                        access_level="metered",
                        decision="registration-required" if over else "metered",
                        meter_position=None if over else k,
                        meter_limit=limit,
                        prompt="registration-wall"
                        if over
                        else ("metered-last" if k == limit else "metered-remaining"),
                        referrer_class="search" if k == 1 else "internal",
                        **stamp,
                    )
                )
                if over:
                    events.append(
                        Event(
                            at=at, kind="wall", reader=reader, article_id=article, meter_limit=limit, **stamp
                        )
                    )
                    walled = True
                    break
                at += timedelta(minutes=rng.randrange(3, 240))
            if not walled or rng.random() >= REGISTER_AT_WALL[variant]:
                continue
            at += timedelta(minutes=rng.randrange(1, 30))
            events.append(
                Event(at=at, kind="registration", reader=reader, last_touch_article_id=article, **stamp)
            )
            if rng.random() < SUBSCRIBE_AFTER_REGISTERING:
                at += timedelta(hours=rng.randrange(1, 96))
                events.append(Event(at=at, kind="checkout_started", reader=reader, **stamp))
                events.append(
                    Event(
                        at=at + timedelta(minutes=3),
                        kind="subscription_started",
                        reader=reader,
                        amount_minor=PRICE_MINOR,
                        currency="USD",
                        last_touch_article_id=article,
                        **stamp,
                    )
                )
        Event.objects.bulk_create(events, batch_size=2000)
    return DemoExperiment(experiment=experiment, events=len(events), readers=readers)


def build_demo_experiment(stdout: object, *, readers: int = 12_000) -> None:
    """For `make demo` (one call beside the analytics demo's): the finished experiment once; a
    second build keeps what the first made."""
    if Experiment.objects.filter(slug=SLUG).exists():
        stdout.write("Experiment demo already in place.")  # type: ignore[attr-defined]
        return
    made = generate_experiment_demo(readers=readers)
    stdout.write(  # type: ignore[attr-defined]
        f"Experiment demo: '{made.experiment.name}', {made.events} events from {made.readers} readers."
    )
