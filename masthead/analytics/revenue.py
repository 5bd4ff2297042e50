"""Revenue truth, from billing's records only: MRR, new and churned subscribers, ARPU, churn rate,
trial conversion, cash revenue net of refunds, and cohort retention.

A subscription counts from `started_at` until `ended_at`; a refused duplicate (refunded) never
started, staff grants without a price bring nothing. MRR at a moment is the monthly price each
paying subscription runs at then: the introductory price until it ends, then the regular price; a
yearly price is a twelfth a month; a subscription in its free trial brings nothing yet. Amounts
are Decimal minor units (cents), per currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from masthead.billing.models import Interval, PaymentRecord, Subscription


@dataclass(frozen=True)
class Span:
    pk: int
    started_at: datetime
    ended_at: datetime | None
    trial_end: datetime | None
    intro_ends_at: datetime | None
    intro_price_minor: int | None
    price_minor: int | None
    interval: str
    currency: str

    def current_at(self, moment: datetime) -> bool:
        return self.started_at <= moment and (self.ended_at is None or self.ended_at > moment)

    def trialing_at(self, moment: datetime) -> bool:
        return self.trial_end is not None and moment < self.trial_end

    def monthly_at(self, moment: datetime) -> Decimal:
        """What this subscription brings a month at `moment` (0 when not current or in trial)."""
        if not self.current_at(moment) or self.trialing_at(moment):
            return Decimal(0)
        intro = (
            self.intro_price_minor is not None
            and self.intro_ends_at is not None
            and moment < self.intro_ends_at
        )
        price = self.intro_price_minor if intro else self.price_minor
        if not price:
            return Decimal(0)
        return Decimal(price) / 12 if self.interval == Interval.YEAR else Decimal(price)


def spans() -> list[Span]:
    rows = (
        Subscription.objects.started()
        .filter(started_at__isnull=False)
        .values_list(
            "pk",
            "started_at",
            "ended_at",
            "trial_end",
            "intro_ends_at",
            "intro_price_minor",
            "price_minor",
            "interval",
            "currency",
            "plan__interval",
            "plan__currency",
        )
    )
    return [
        Span(
            pk=pk,
            started_at=started_at,
            ended_at=ended_at,
            trial_end=trial_end,
            intro_ends_at=intro_ends_at,
            intro_price_minor=intro_price,
            price_minor=price,
            interval=interval or plan_interval,
            currency=(currency or plan_currency).upper(),
        )
        for (
            pk,
            started_at,
            ended_at,
            trial_end,
            intro_ends_at,
            intro_price,
            price,
            interval,
            currency,
            plan_interval,
            plan_currency,
        ) in rows
    ]


def cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"))


def mrr_at(moment: datetime, *, all_spans: list[Span] | None = None) -> dict[str, Decimal]:
    total: dict[str, Decimal] = defaultdict(Decimal)
    for span in spans() if all_spans is None else all_spans:
        amount = span.monthly_at(moment)
        if amount:
            total[span.currency] += amount
    return {currency: cents(value) for currency, value in total.items()}


def paying_at(moment: datetime, all_spans: list[Span]) -> int:
    return sum(1 for s in all_spans if s.monthly_at(moment) > 0)


def current_at(moment: datetime, all_spans: list[Span]) -> int:
    return sum(1 for s in all_spans if s.current_at(moment))


@dataclass
class Summary:
    start: datetime
    end: datetime
    mrr: dict[str, Decimal]
    paying: int
    arpu: dict[str, Decimal]
    new: int
    churned: int
    subscribers_at_start: int
    churn_rate: float | None
    trials_ended: int
    trials_converted: int
    revenue: dict[str, int]
    refunds: dict[str, int]

    @property
    def trial_conversion(self) -> float | None:
        return self.trials_converted / self.trials_ended if self.trials_ended else None


def summary(start: datetime, end: datetime) -> Summary:
    """Figures for [start, end): MRR and ARPU at `end`, flows within the range."""
    all_spans = spans()
    mrr = mrr_at(end, all_spans=all_spans)
    paying = paying_at(end, all_spans)
    at_start = current_at(start, all_spans)
    new = sum(1 for s in all_spans if start <= s.started_at < end)
    churned = sum(1 for s in all_spans if s.ended_at is not None and start <= s.ended_at < end)
    ended_trials = [s for s in all_spans if s.trial_end is not None and start <= s.trial_end < end]
    converted = sum(1 for s in ended_trials if s.ended_at is None or s.ended_at > s.trial_end)  # type: ignore[operator]
    revenue, refunds = cash(start, end)
    return Summary(
        start=start,
        end=end,
        mrr=mrr,
        paying=paying,
        arpu={c: cents(v / paying) for c, v in mrr.items()} if paying else {},
        new=new,
        churned=churned,
        subscribers_at_start=at_start,
        # Of everyone subscribed at some time in the range (there at its start, or new in it),
        # the share who left: bounded by 100 % even for a young publication.
        churn_rate=churned / (at_start + new) if at_start + new else None,
        trials_ended=len(ended_trials),
        trials_converted=converted,
        revenue=revenue,
        refunds=refunds,
    )


def cash(start: datetime, end: datetime) -> tuple[dict[str, int], dict[str, int]]:
    """Money paid in the range, net of refunds made in the range (and the refunds alone)."""
    paid: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    rows = PaymentRecord.objects.filter(paid=True).filter(
        Q(occurred_at__gte=start, occurred_at__lt=end) | Q(refunded_at__gte=start, refunded_at__lt=end)
    )
    for amount, currency, occurred, refunded_at in rows.values_list(
        "amount_minor", "currency", "occurred_at", "refunded_at"
    ):
        currency = currency.upper()
        if start <= occurred < end:
            paid[currency] += amount
        if refunded_at is not None and start <= refunded_at < end:
            paid[currency] -= amount
            refunded[currency] += amount
    return dict(paid), dict(refunded)


def mrr_series(points: list[datetime]) -> list[tuple[datetime, dict[str, Decimal]]]:
    all_spans = spans()
    return [(p, mrr_at(p, all_spans=all_spans)) for p in points]


def flows_by_month(months: list[date], tz: Any) -> list[dict[str, Any]]:
    all_spans = spans()
    rows = []
    for first in months:
        start = datetime.combine(first, datetime.min.time(), tzinfo=tz)
        end = datetime.combine(add_months(first, 1), datetime.min.time(), tzinfo=tz)
        rows.append(
            {
                "month": first,
                "new": sum(1 for s in all_spans if start <= s.started_at < end),
                "churned": sum(1 for s in all_spans if s.ended_at is not None and start <= s.ended_at < end),
            }
        )
    return rows


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def cohorts(*, tz: Any, now: datetime | None = None, max_months: int = 6) -> list[dict[str, Any]]:
    """Per start month: how many started, and the share still subscribed 1..max_months months later."""
    now = now or timezone.now()
    by_month: dict[date, list[Span]] = defaultdict(list)
    for span in spans():
        local = span.started_at.astimezone(tz)
        by_month[date(local.year, local.month, 1)].append(span)
    rows = []
    for month in sorted(by_month):
        members = by_month[month]
        retained: list[float | None] = []
        for k in range(1, max_months + 1):
            point = datetime.combine(add_months(month, k), datetime.min.time(), tzinfo=tz)
            if point > now:
                retained.append(None)
                continue
            alive = sum(1 for s in members if s.ended_at is None or s.ended_at > point)
            retained.append(alive / len(members))
        rows.append({"month": month, "started": len(members), "retained": retained})
    return rows


def month_starts(start: date, end: date) -> list[date]:
    months, day = [], date(start.year, start.month, 1)
    while day <= end:
        months.append(day)
        day = add_months(day, 1)
    return months


def days_between(start: date, end: date, step: int = 1) -> list[date]:
    days, day = [], start
    while day <= end:
        days.append(day)
        day += timedelta(days=step)
    return days
