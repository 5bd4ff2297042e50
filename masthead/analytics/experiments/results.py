"""An experiment's results, recomputed from the raw events every time (never from a rollup).

The unit is the exposed reader: a distinct reader key with an article view or a wall impression
recorded under the experiment and variant, within the experiment's window (started → stopped).
A conversion is a reader key with a registration (or a paid subscription) recorded under the same
variant (the analytics events carry a reader's variant on to their later events).

Per variant: the rate of the primary metric with a 95 % Wilson interval, the lift over the control
(the first variant) and a two-proportion z-test against it, revenue per exposed reader, and the
guardrails (article views per reader, registrations per reader). Across variants: the
sample-ratio-mismatch check, a chi-square test of the exposed readers against the shares; p below
0.001 means the split is broken (a bug, a cache, a bot) and no figure of the experiment can be
trusted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum

from masthead.analytics.experiments.models import Experiment, Metric

SRM_THRESHOLD = 0.001
SIGNIFICANCE = 0.05
EXPOSURE_KINDS = ("view", "wall")
REVENUE_KINDS = ("subscription_started", "trial_converted", "renewal", "reactivation")


@dataclass(frozen=True)
class VariantResult:
    key: str
    label: str
    share: int
    expected_fraction: float
    readers: int
    views: int
    registrations: int
    subscriptions: int
    revenue_minor: int
    conversions: int  # of the primary metric
    rate: float
    ci_low: float
    ci_high: float
    lift: float | None = None  # relative to the control's rate; None for the control itself
    z: float | None = None
    p_value: float | None = None
    is_control: bool = False

    @property
    def registration_rate(self) -> float:
        return self.registrations / self.readers if self.readers else 0.0

    @property
    def subscription_rate(self) -> float:
        return self.subscriptions / self.readers if self.readers else 0.0

    @property
    def views_per_reader(self) -> float:
        return self.views / self.readers if self.readers else 0.0

    @property
    def revenue_per_reader_minor(self) -> float:
        return self.revenue_minor / self.readers if self.readers else 0.0

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < SIGNIFICANCE


@dataclass(frozen=True)
class ExperimentResults:
    metric: str
    variants: list[VariantResult]
    readers: int
    srm_chi2: float | None
    srm_p: float | None
    currency: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def srm_alarm(self) -> bool:
        return self.srm_p is not None and self.srm_p < SRM_THRESHOLD

    @property
    def control(self) -> VariantResult | None:
        return self.variants[0] if self.variants else None

    def fraction_of(self, variant: VariantResult) -> float:
        return variant.readers / self.readers if self.readers else 0.0

    @property
    def leader(self) -> VariantResult | None:
        """The variant that beats the control significantly on the primary metric, if any (and
        never while the split itself is broken)."""
        if self.srm_alarm:
            return None
        better = [v for v in self.variants[1:] if v.significant and (v.lift or 0) > 0]
        return max(better, key=lambda v: v.rate, default=None)


def experiment_results(experiment: Experiment) -> ExperimentResults:
    from masthead.analytics.models import Event

    variants = list(experiment.variants.all())
    events = Event.objects.filter(experiment=experiment.slug)
    if experiment.started_at is not None:
        events = events.filter(at__gte=experiment.started_at)
    if experiment.stopped_at is not None:
        events = events.filter(at__lte=experiment.stopped_at)
    rows = events.values("variant").annotate(
        readers=Count("reader", distinct=True, filter=Q(kind__in=EXPOSURE_KINDS)),
        views=Count("pk", filter=Q(kind="view")),
        registrations=Count("reader", distinct=True, filter=Q(kind="registration")),
        subscriptions=Count("reader", distinct=True, filter=Q(kind="subscription_started")),
        revenue=Sum("amount_minor", filter=Q(kind__in=REVENUE_KINDS)),
    )
    by_key: dict[str, dict[str, Any]] = {row["variant"]: row for row in rows}
    currency = (
        events.filter(kind__in=REVENUE_KINDS).exclude(currency="").values_list("currency", flat=True).first()
        or ""
    )
    counts = [_counts(by_key.get(v.key)) for v in variants]
    return compute(
        metric=experiment.primary_metric,
        variants=[(v.key, v.label or v.key, v.share) for v in variants],
        counts=counts,
        currency=currency,
    )


def _counts(row: dict[str, Any] | None) -> dict[str, int]:
    row = row or {}
    return {
        "readers": int(row.get("readers") or 0),
        "views": int(row.get("views") or 0),
        "registrations": int(row.get("registrations") or 0),
        "subscriptions": int(row.get("subscriptions") or 0),
        "revenue": int(row.get("revenue") or 0),
    }


def compute(
    *, metric: str, variants: list[tuple[str, str, int]], counts: list[dict[str, int]], currency: str = ""
) -> ExperimentResults:
    """The statistics over per-variant counts (first variant: the control)."""
    from scipy.stats import chisquare
    from statsmodels.stats.proportion import proportion_confint, proportions_ztest

    total_share = sum(share for _, _, share in variants) or 1
    total_readers = sum(c["readers"] for c in counts)
    notes: list[str] = []
    results: list[VariantResult] = []
    control_rate: float | None = None
    control_counts: tuple[int, int] | None = None
    for index, ((key, label, share), c) in enumerate(zip(variants, counts, strict=True)):
        readers = c["readers"]
        primary = c["subscriptions"] if metric == Metric.SUBSCRIPTIONS else c["registrations"]
        # A reader converts once: more conversions than exposed readers would be readers who
        # converted without an exposure recorded under the variant; they cannot raise the rate past 1.
        conversions = min(primary, readers)
        rate = conversions / readers if readers else 0.0
        if readers:
            low, high = proportion_confint(conversions, readers, alpha=SIGNIFICANCE, method="wilson")
        else:
            low, high = 0.0, 0.0
        lift = z = p = None
        if index == 0:
            control_rate, control_counts = rate, (conversions, readers)
        elif control_counts is not None and readers and control_counts[1]:
            if control_rate:
                lift = rate / control_rate - 1
            if (
                conversions + control_counts[0] > 0
                and conversions + control_counts[0] < readers + control_counts[1]
            ):
                z_stat, p_val = proportions_ztest(
                    [conversions, control_counts[0]], [readers, control_counts[1]]
                )
                z, p = float(z_stat), float(p_val)
        results.append(
            VariantResult(
                key=key,
                label=label,
                share=share,
                expected_fraction=share / total_share,
                readers=readers,
                views=c["views"],
                registrations=c["registrations"],
                subscriptions=c["subscriptions"],
                revenue_minor=c["revenue"],
                conversions=conversions,
                rate=rate,
                ci_low=float(low),
                ci_high=float(high),
                lift=lift,
                z=z,
                p_value=p,
                is_control=index == 0,
            )
        )
    srm_chi2 = srm_p = None
    if total_readers and len(variants) > 1:
        expected = [total_readers * share / total_share for _, _, share in variants]
        chi2, p_value = chisquare([c["readers"] for c in counts], f_exp=expected)
        srm_chi2, srm_p = float(chi2), float(p_value)
        if math.isnan(srm_p):
            srm_chi2 = srm_p = None
    return ExperimentResults(
        metric=metric,
        variants=results,
        readers=total_readers,
        srm_chi2=srm_chi2,
        srm_p=srm_p,
        currency=currency,
        notes=notes,
    )
