"""Experiments tests: build an experiment, and readers that fall in a chosen variant."""

from __future__ import annotations

import itertools
from typing import Any

from django.core.signing import get_cookie_signer
from django.test import Client

from masthead.access.identity import COOKIE_SALT, COOKIE_VERSION, METER_COOKIE
from masthead.analytics.experiments.assignment import VariantRule, choose
from masthead.analytics.experiments.models import Experiment, Variant


def make_experiment(slug: str, variants: list[dict[str, Any]], **fields: Any) -> Experiment:
    experiment = Experiment.objects.create(slug=slug, name=fields.pop("name", slug), **fields)
    for order, values in enumerate(variants):
        Variant.objects.create(experiment=experiment, sort_order=order, **values)
    return experiment


def rules_of(experiment: Experiment) -> list[VariantRule]:
    return [VariantRule(key=v.key, share=v.share) for v in experiment.variants.all()]


def anonymous_key_in(experiment: Experiment, variant_key: str) -> str:
    """A meter-cookie id the hash puts in `variant_key` (found by trying ids in turn)."""
    rules = rules_of(experiment)
    for n in itertools.count():
        key = f"test-reader-{n}"
        if choose(slug=experiment.slug, unit=f"a:{key}", variants=rules).key == variant_key:
            return key
    raise AssertionError("unreachable")


def client_with_meter_key(key: str) -> Client:
    """A browser whose signed meter cookie holds `key`, as the site would have set it."""
    client = Client()
    signer = get_cookie_signer(salt=METER_COOKIE + COOKIE_SALT)
    client.cookies[METER_COOKIE] = signer.sign(f"{COOKIE_VERSION}.{key}")
    return client
