"""The funnel, the stories and the JSON endpoint count exactly what the raw events say."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from masthead.analytics.demo import generate
from masthead.analytics.models import DailyRollup, Event
from masthead.analytics.rollup import roll_up, zone
from tests.analytics.conftest import staff_user
from tests.builders import make_article

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
FUNNEL_KINDS = {
    "view": "views",
    "wall": "wall_impressions",
    "registration": "registrations",
    "checkout_started": "checkouts",
    "subscription_started": "subscriptions",
    "trial_started": "subscriptions",
}


@pytest.fixture
def traffic(pub: Any, plans: dict[str, Any]) -> Any:
    for _ in range(6):
        make_article(pub)
    make_article(pub, section=pub.sections[1])
    with time_machine.travel(NOW, tick=False):
        return generate(days=40, readers=400, seed=7, now=NOW)


@pytest.fixture
def analyst(db: Any) -> Client:
    client = Client()
    client.force_login(staff_user("analyst@example.com", analytics=True))
    return client


def raw_counts(start: date, end: date) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    """Counted straight from the raw rows, the slow way."""
    tz = zone()
    totals: Counter[str] = Counter()
    per_article: Counter[tuple[str, str]] = Counter()
    for event in Event.objects.all():
        day = event.at.astimezone(tz).date()
        if event.kind in FUNNEL_KINDS and start <= day <= end:
            step = FUNNEL_KINDS[event.kind]
            totals[step] += 1
            article = event.article_id or event.last_touch_article_id
            per_article[(str(article or ""), step)] += 1
    return totals, per_article


def check_against_raw(body: dict[str, Any], start: date, end: date) -> None:
    totals, per_article = raw_counts(start, end)
    for step in ("views", "wall_impressions", "registrations", "checkouts", "subscriptions"):
        assert body[step] == totals[step], step
        for row in body["rows"]:
            assert row[step] == per_article[(row["key"], step)], (row["label"], step)
    assert sum(row["views"] for row in body["rows"]) == totals["views"]


def test_funnel_json_equals_the_raw_events_before_and_after_the_rollup(traffic: Any, analyst: Client) -> None:
    assert traffic.by_kind["view"] > 500 and traffic.by_kind["subscription_started"] > 3
    start, end = (NOW - timedelta(days=40)).date(), NOW.date()
    query = {"start": start.isoformat(), "end": end.isoformat(), "by": "article"}
    with time_machine.travel(NOW, tick=False):
        raw = analyst.get("/admin/analytics/funnel.json", query).json()
        check_against_raw(raw, start, end)
        assert roll_up().startswith("Rolled up")
        assert DailyRollup.objects.filter(dimension="article").exists()
        # The closed days are answered from the rollups alone: their raw events may even be gone.
        today_starts = datetime.combine(NOW.astimezone(zone()).date(), datetime.min.time(), tzinfo=zone())
        Event.objects.filter(at__lt=today_starts).delete()
        rolled = analyst.get("/admin/analytics/funnel.json", query).json()
    assert rolled == raw
    assert set(raw) == {
        "start",
        "end",
        "views",
        "wall_impressions",
        "registrations",
        "checkouts",
        "subscriptions",
        "rows",
    }
    assert set(raw["rows"][0]) == {
        "key",
        "label",
        "views",
        "wall_impressions",
        "registrations",
        "checkouts",
        "subscriptions",
    }
    # And the generator's own tally, made as it wrote the events.
    assert raw["views"] == traffic.by_kind["view"]
    assert raw["subscriptions"] == traffic.by_kind["subscription_started"] + traffic.by_kind["trial_started"]


def test_a_narrow_range_and_each_cut_still_add_up(traffic: Any, analyst: Client) -> None:
    start, end = (NOW - timedelta(days=20)).date(), (NOW - timedelta(days=10)).date()
    with time_machine.travel(NOW, tick=False):
        roll_up()
        totals, _ = raw_counts(start, end)
        for by in ("section", "offer", "variant"):
            body = analyst.get("/admin/analytics/funnel.json", {"start": start, "end": end, "by": by}).json()
            for step in ("views", "registrations", "subscriptions"):
                assert body[step] == totals[step]
                assert sum(row[step] for row in body["rows"]) == totals[step], (by, step)


def test_an_event_is_on_the_dashboard_at_once_even_on_a_rolled_up_day(pub: Any, analyst: Client) -> None:
    article = make_article(pub)
    roll_up()
    reader = Client(HTTP_USER_AGENT="Mozilla/5.0 Firefox/130")
    reader.get(article.url)
    today = timezone.now().astimezone(zone()).date()
    body = analyst.get("/admin/analytics/funnel.json", {"start": today, "end": today, "by": "article"}).json()
    assert body["views"] == 1
    assert body["rows"][0]["label"] == article.title


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13-01"}, "YYYY-MM-DD"),
        ({"start": "2026-03-02", "end": "2026-03-01"}, "start date"),
        ({"by": "author"}, "article, section, offer, variant"),
        ({"by": "article", "colour": "red"}, "colour"),
    ],
)
def test_bad_parameters_get_a_400_that_says_why(analyst: Client, query: dict[str, str], message: str) -> None:
    response = analyst.get("/admin/analytics/funnel.json", query)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_an_editor_without_the_permission_gets_403_everywhere(db: Any) -> None:
    editor = Client()
    editor.force_login(staff_user("editor@example.com", analytics=False))
    for url in ("/admin/analytics/", "/admin/analytics/funnel.json", "/admin/analytics/csv/funnel.csv"):
        assert editor.get(url).status_code == 403, url
    assert "/admin/analytics/" not in editor.get("/admin/").content.decode()
    assert Client().get("/admin/analytics/funnel.json").status_code in (302, 403)


def test_the_dashboard_shows_charts_with_titles_tables_with_captions_and_csv(
    traffic: Any, analyst: Client
) -> None:
    with time_machine.travel(NOW, tick=False):
        page = analyst.get("/admin/analytics/", {"start": "2026-10-15", "end": "2026-11-20"})
        html = page.content.decode()
        assert page.status_code == 200
        assert (
            html.count('<svg class="analytics-chart"') == 3
            and html.count("<title id=") == 3
            and html.count("<desc id=") == 3
        )
        assert html.count("<caption>") >= 6
        assert "Stories that make subscribers" in html
        assert '<script src="http' not in html
        csv = analyst.get("/admin/analytics/csv/stories.csv", {"start": "2026-10-15", "end": "2026-11-20"})
        assert csv["Content-Type"].startswith("text/csv")
        lines = csv.content.decode().splitlines()
        assert lines[0].startswith("article_id,title,views")
        assert len(lines) > 2
        for table in ("funnel", "cuts", "mrr", "flows", "cohorts"):
            assert analyst.get(f"/admin/analytics/csv/{table}.csv").status_code == 200
