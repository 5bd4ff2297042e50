"""Before starting: how many readers an experiment needs and how long that takes at the site's
current traffic (statsmodels' power analysis for two proportions, Cohen's h).

The baseline is read from the raw events of the last four weeks: the rate of the primary metric
among readers who meet the meter (anonymous and registered readers' article views), and how many
such readers come per day. Each variant is compared with the control, so the significance level is
split between the comparisons (Bonferroni).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from masthead.analytics.experiments.models import Metric

BASELINE_DAYS = 28
METERED_KINDS = ("anonymous", "registered", "expired-trial", "lapsed-subscriber")


@dataclass(frozen=True)
class Plan:
    baseline_rate: float
    readers_per_day: float
    relative_lift: float
    per_variant: int | None  # readers each variant needs; None when the baseline says nothing
    total: int | None
    days: int | None  # at the current traffic, with the smallest share the bottleneck


def baseline(*, metric: str, now: datetime | None = None, days: int = BASELINE_DAYS) -> tuple[float, float]:
    """(rate of the primary metric per metered reader, metered readers per day) over `days`."""
    from masthead.analytics.models import Event

    now = now or timezone.now()
    recent = Event.objects.filter(at__gte=now - timedelta(days=days), at__lt=now)
    conversion = "subscription_started" if metric == Metric.SUBSCRIPTIONS else "registration"
    counts = recent.aggregate(
        readers=Count("reader", distinct=True, filter=Q(kind="view", reader_kind__in=METERED_KINDS)),
        converted=Count("reader", distinct=True, filter=Q(kind=conversion)),
    )
    readers = counts["readers"] or 0
    if not readers:
        return 0.0, 0.0
    return min(counts["converted"] / readers, 1.0), readers / days


def sample_size(
    *, baseline_rate: float, relative_lift: float, variants: int, alpha: float = 0.05, power: float = 0.8
) -> int | None:
    """Readers per variant to detect `relative_lift` over `baseline_rate` (two-sided)."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    target = baseline_rate * (1 + relative_lift)
    if not 0 < baseline_rate < 1 or not 0 < target < 1 or variants < 2:
        return None
    effect = abs(proportion_effectsize(target, baseline_rate))
    n = NormalIndPower().solve_power(
        effect_size=effect, alpha=alpha / (variants - 1), power=power, ratio=1.0, alternative="two-sided"
    )
    return math.ceil(float(n))


def plan(*, metric: str, shares: list[int], relative_lift: float = 0.2, now: datetime | None = None) -> Plan:
    rate, per_day = baseline(metric=metric, now=now)
    per_variant = sample_size(baseline_rate=rate, relative_lift=relative_lift, variants=len(shares))
    total = days = None
    if per_variant is not None and shares:
        smallest = min(shares) / sum(shares)
        total = math.ceil(per_variant / smallest)
        days = math.ceil(total / per_day) if per_day else None
    return Plan(
        baseline_rate=rate,
        readers_per_day=per_day,
        relative_lift=relative_lift,
        per_variant=per_variant,
        total=total,
        days=days,
    )
