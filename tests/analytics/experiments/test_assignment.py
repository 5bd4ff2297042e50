"""Assignment: deterministic, in the shares, the same in every process; decide() stays pure."""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from masthead.analytics.experiments.assignment import VariantRule, bucket, choose

VARIANTS = (
    VariantRule(key="control", share=50),
    VariantRule(key="limit-2", share=30),
    VariantRule("limit-1", 20),
)
READERS = [f"a:reader-{n}" for n in range(10_000)]


def test_ten_thousand_readers_are_split_as_the_shares_say() -> None:
    counts = Counter(choose(slug="meter-limits", unit=unit, variants=VARIANTS).key for unit in READERS)
    n = len(READERS)
    for variant in VARIANTS:
        p = variant.share / 100
        # A fair hash gives Binomial(n, p) counts; 4.5 standard deviations bound the count with a
        # chance of about 7 in a million of failing for a correct assignment (normal approximation).
        bound = 4.5 * math.sqrt(n * p * (1 - p))
        assert abs(counts[variant.key] - n * p) <= bound, (variant.key, counts[variant.key], n * p, bound)
    assert sum(counts.values()) == n


def test_a_reader_gets_the_same_variant_in_every_call() -> None:
    first = [choose(slug="meter-limits", unit=unit, variants=VARIANTS).key for unit in READERS[:2000]]
    again = [choose(slug="meter-limits", unit=unit, variants=VARIANTS).key for unit in READERS[:2000]]
    assert first == again


def test_a_reader_gets_the_same_variant_in_another_process() -> None:
    # Another interpreter with another hash seed: nothing may depend on Python's own hash().
    script = (
        "import json, django; django.setup();"
        "from masthead.analytics.experiments.assignment import VariantRule, choose;"
        "v = (VariantRule('control', 50), VariantRule('limit-2', 30), VariantRule('limit-1', 20));"
        "keys = [choose(slug='meter-limits', unit=f'a:reader-{n}', variants=v).key for n in range(500)];"
        "print(json.dumps(keys))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env, cwd=Path.cwd()
    )
    here = [choose(slug="meter-limits", unit=unit, variants=VARIANTS).key for unit in READERS[:500]]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == here


def test_experiments_are_independent_of_each_other() -> None:
    # The slug is part of the hash: being in the first half of one experiment says nothing about
    # another (about half of one experiment's first half is in the other's first half).
    both = sum(
        1
        for unit in READERS
        if bucket(slug="meter-limits", unit=unit) < 0.5 and bucket(slug="teaser", unit=unit) < 0.5
    )
    assert abs(both - 2500) <= 4.5 * math.sqrt(10_000 * 0.25 * 0.75)


def test_policy_imports_nothing_from_django() -> None:
    source = Path("masthead/access/policy.py").read_text()
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module or "")
    assert modules == {"__future__", "collections.abc", "dataclasses", "datetime", "enum"}
