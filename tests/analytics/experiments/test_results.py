"""Results recomputed from raw events equal figures computed by hand; the SRM alarm."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.analytics.experiments.results import compute, experiment_results
from masthead.analytics.models import Event
from tests.analytics.experiments.conftest import make_experiment

START = datetime(2026, 9, 1, tzinfo=UTC)
STOP = datetime(2026, 9, 29, tzinfo=UTC)


def wilson(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def counts(readers: int, registrations: int = 0, subscriptions: int = 0) -> dict[str, int]:
    return {
        "readers": readers,
        "views": 0,
        "registrations": registrations,
        "subscriptions": subscriptions,
        "revenue": 0,
    }


def test_srm_alarm_fires_on_a_skewed_split() -> None:
    # 50/50 shares, 9,600 readers: 5,000 against 4,600 is chi-square 16.7 (p ≈ 0.00004).
    figures = compute(
        metric="registrations", variants=[("a", "A", 50), ("b", "B", 50)], counts=[counts(5000), counts(4600)]
    )
    assert figures.srm_p is not None and figures.srm_p < 0.001
    assert figures.srm_alarm
    assert figures.leader is None  # no winner is named while the split is broken


def test_srm_alarm_stays_quiet_on_a_fair_split() -> None:
    figures = compute(
        metric="registrations", variants=[("a", "A", 50), ("b", "B", 50)], counts=[counts(4980), counts(5020)]
    )
    assert figures.srm_p is not None and figures.srm_p > 0.5
    assert not figures.srm_alarm


def test_srm_follows_unequal_shares() -> None:
    # 80/20 shares: 8,000 and 2,000 is exactly as planned; 5,000 and 5,000 is badly broken.
    planned = [("a", "A", 80), ("b", "B", 20)]
    assert not compute(
        metric="registrations", variants=planned, counts=[counts(8000), counts(2000)]
    ).srm_alarm
    assert compute(metric="registrations", variants=planned, counts=[counts(5000), counts(5000)]).srm_alarm


def _events(
    experiment: str, variant: str, *, readers: int, registered: int, subscribed: int, price: int
) -> list[Event]:
    rows = []
    for n in range(readers):
        reader = f"{experiment}-{variant}-{n}"
        at = START + timedelta(hours=n % 600)
        rows.append(Event(at=at, kind="view", reader=reader, experiment=experiment, variant=variant))
        if n % 2 == 0:  # every second reader reads a second article
            rows.append(Event(at=at, kind="view", reader=reader, experiment=experiment, variant=variant))
        if n < registered:
            rows.append(Event(at=at, kind="wall", reader=reader, experiment=experiment, variant=variant))
            rows.append(
                Event(at=at, kind="registration", reader=reader, experiment=experiment, variant=variant)
            )
        if n < subscribed:
            rows.append(
                Event(
                    at=at,
                    kind="subscription_started",
                    reader=reader,
                    experiment=experiment,
                    variant=variant,
                    amount_minor=price,
                    currency="USD",
                )
            )
    return rows


@pytest.mark.django_db
def test_results_from_raw_events_equal_the_hand_computed_figures() -> None:
    experiment = make_experiment(
        "wall-after-two",
        [{"key": "control", "share": 50}, {"key": "limit-2", "share": 50, "anonymous_limit": 2}],
        status="stopped",
        started_at=START,
        stopped_at=STOP,
    )
    Event.objects.bulk_create(
        _events("wall-after-two", "control", readers=1000, registered=50, subscribed=10, price=900)
        + _events("wall-after-two", "limit-2", readers=1000, registered=80, subscribed=12, price=900)
        # Outside the window, another experiment, no experiment: none of it counts.
        + [
            Event(
                at=STOP + timedelta(days=1),
                kind="registration",
                reader="late",
                experiment="wall-after-two",
                variant="limit-2",
            )
        ]
        + [Event(at=START, kind="view", reader="x", experiment="other", variant="control")]
        + [Event(at=START, kind="registration", reader="y")]
    )
    figures = experiment_results(experiment)
    control, variant = figures.variants
    assert (control.readers, variant.readers) == (1000, 1000)
    assert (control.conversions, variant.conversions) == (50, 80)
    assert control.rate == pytest.approx(0.05) and variant.rate == pytest.approx(0.08)
    assert (control.ci_low, control.ci_high) == pytest.approx(wilson(50, 1000), abs=1e-9)
    assert (variant.ci_low, variant.ci_high) == pytest.approx(wilson(80, 1000), abs=1e-9)
    assert variant.lift == pytest.approx(0.6)
    pooled = 130 / 2000
    z = (0.08 - 0.05) / math.sqrt(pooled * (1 - pooled) * (1 / 1000 + 1 / 1000))
    assert variant.z == pytest.approx(z, rel=1e-9)
    assert variant.p_value == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-6)
    assert variant.significant and figures.leader == variant
    # Guardrails and revenue: 1,500 views per 1,000 readers; $90 and $108 over 1,000 readers.
    assert (control.views, variant.views) == (1500, 1500)
    assert control.views_per_reader == pytest.approx(1.5)
    assert (control.subscriptions, variant.subscriptions) == (10, 12)
    assert (control.revenue_minor, variant.revenue_minor) == (9000, 10800)
    assert variant.revenue_per_reader_minor == pytest.approx(10.8)
    assert figures.currency == "USD"
    assert not figures.srm_alarm


@pytest.mark.django_db
def test_results_page_shows_the_table_and_the_srm_alarm_in_red() -> None:
    experiment = make_experiment(
        "skewed",
        [{"key": "control", "share": 50}, {"key": "limit-1", "share": 50, "anonymous_limit": 1}],
        status="running",
        started_at=START,
    )
    Event.objects.bulk_create(
        _events("skewed", "control", readers=600, registered=30, subscribed=0, price=0)
        + _events("skewed", "limit-1", readers=400, registered=30, subscribed=0, price=0)
    )
    editor = get_user_model().objects.create_superuser(email="editor@example.com", password="pw")
    client = Client()
    client.force_login(editor)
    html = client.get(f"/admin/experiments/{experiment.pk}/results/").content.decode()
    assert "data-srm-alarm" in html and "Sample ratio mismatch" in html
    assert 'data-variant="limit-1"' in html and "<td data-readers>400</td>" in html
    assert "<td data-rate>7.50\u00a0%</td>" in html  # 30 of 400


@pytest.mark.django_db
def test_an_editor_without_the_permission_cannot_see_or_stop_it(django_user_model: Any) -> None:
    experiment = make_experiment(
        "closed", [{"key": "a", "share": 1}, {"key": "b", "share": 1}], status="running"
    )
    from django.contrib.auth.models import Permission

    staff = django_user_model.objects.create_user(email="staff@example.com", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(staff)
    # Wagtail answers a refused admin page by sending the editor back to the dashboard.
    for response in (
        client.get(f"/admin/experiments/{experiment.pk}/results/"),
        client.post(f"/admin/experiments/{experiment.pk}/stop/"),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert "Sample ratio" not in response.content.decode()
    experiment.refresh_from_db()
    assert experiment.status == "running"


def test_readers_needed_follow_the_two_proportion_formula() -> None:
    from statistics import NormalDist

    from masthead.analytics.experiments.planning import sample_size

    z = NormalDist().inv_cdf
    for variants, alpha in ((2, 0.05), (3, 0.025)):  # each variant against the control: alpha split
        h = 2 * math.asin(math.sqrt(0.036)) - 2 * math.asin(math.sqrt(0.03))
        by_hand = 2 * ((z(1 - alpha / 2) + z(0.8)) / h) ** 2
        assert sample_size(baseline_rate=0.03, relative_lift=0.2, variants=variants) == math.ceil(by_hand)
    # And close to the textbook formula on the proportions themselves (about 13,900 a variant).
    textbook = (z(0.975) + z(0.8)) ** 2 * (0.03 * 0.97 + 0.036 * 0.964) / 0.006**2
    assert sample_size(baseline_rate=0.03, relative_lift=0.2, variants=2) == pytest.approx(textbook, rel=0.01)
    assert sample_size(baseline_rate=0.0, relative_lift=0.2, variants=2) is None


@pytest.mark.django_db
def test_the_plan_reads_the_baseline_from_the_last_four_weeks() -> None:
    from masthead.analytics.experiments.planning import plan

    now = datetime(2026, 10, 1, tzinfo=UTC)
    rows = [
        Event(at=now - timedelta(days=1 + n % 27), kind="view", reader=f"r{n}", reader_kind="anonymous")
        for n in range(2800)
    ]
    rows += [Event(at=now - timedelta(days=2), kind="registration", reader=f"r{n}") for n in range(84)]
    # Subscribers do not meet the meter; old traffic is not the current traffic.
    rows += [
        Event(at=now - timedelta(days=3), kind="view", reader=f"s{n}", reader_kind="subscriber")
        for n in range(500)
    ]
    rows += [
        Event(at=now - timedelta(days=40), kind="view", reader=f"o{n}", reader_kind="anonymous")
        for n in range(500)
    ]
    Event.objects.bulk_create(rows)
    found = plan(metric="registrations", shares=[50, 50], relative_lift=0.2, now=now)
    assert found.baseline_rate == pytest.approx(0.03)
    assert found.readers_per_day == pytest.approx(100)
    assert found.per_variant is not None and found.total == 2 * found.per_variant
    assert found.days == math.ceil(found.total / 100)
    # An 80/20 split waits for its smaller arm.
    uneven = plan(metric="registrations", shares=[80, 20], relative_lift=0.2, now=now)
    assert uneven.total == math.ceil(found.per_variant / 0.2)
