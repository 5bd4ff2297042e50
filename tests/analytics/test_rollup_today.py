"""Today is rolled up as it goes, closed days' answers are kept, and the figures stay exact.

The dashboard page reads closed days from a kept answer (keyed by what each day was rolled up
from), today from its rollup so far plus the events written since: the publisher sees every event
at once and the page does not re-add 90 days of rollups on each load.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from masthead.analytics.models import DailyRollup, Event, Kind, RollupState
from masthead.analytics.rollup import roll_up, zone
from tests.analytics.conftest import staff_user
from tests.builders import make_article

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def analyst(db: Any) -> Client:
    client = Client()
    client.force_login(staff_user("analyst@example.com", analytics=True))
    return client


def views(article_id: int, at: datetime, n: int) -> None:
    Event.objects.bulk_create(
        Event(at=at, kind=Kind.VIEW, reader=f"r{i}", article_id=article_id) for i in range(n)
    )


def funnel(client: Client, start: Any, end: Any) -> dict[str, Any]:
    return client.get("/admin/analytics/funnel.json", {"start": start, "end": end, "by": "article"}).json()


def test_today_is_counted_from_its_rollup_so_far_and_the_events_written_after_it(
    pub: Any, analyst: Client
) -> None:
    article = make_article(pub)
    today = NOW.astimezone(zone()).date()
    with time_machine.travel(NOW, tick=False):
        views(article.pk, NOW - timedelta(hours=2), 5)
        roll_up()
        state = RollupState.objects.get(day=today)
        assert state.through_event_id == Event.objects.order_by("-id").values_list("id", flat=True)[0]
        # Three more readers after the rollup ran: on the dashboard at once.
        views(article.pk, NOW - timedelta(minutes=1), 3)
        assert funnel(analyst, today, today)["views"] == 8
        # The five rolled-up views are read from the rollup: gone from the raw table, still there.
        Event.objects.filter(id__lte=state.through_event_id).delete()
        body = funnel(analyst, today, today)
    assert body["views"] == 8
    assert body["rows"][0]["label"] == article.title and body["rows"][0]["views"] == 8


def test_a_closed_day_is_rolled_up_whole_once_the_day_is_over(pub: Any, analyst: Client) -> None:
    article = make_article(pub)
    today = NOW.astimezone(zone()).date()
    with time_machine.travel(NOW, tick=False):
        views(article.pk, NOW - timedelta(hours=1), 4)
        roll_up()
        views(article.pk, NOW, 2)  # after the run, the same day
    tomorrow = NOW + timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        roll_up()
        state = RollupState.objects.get(day=today)
        assert state.through_event_id is None  # the whole day now
        Event.objects.all().delete()
        assert funnel(analyst, today, today)["views"] == 6


def test_the_page_keeps_the_closed_days_answer_and_a_late_event_still_reaches_it(
    pub: Any, analyst: Client
) -> None:
    article = make_article(pub)
    start = (NOW - timedelta(days=10)).astimezone(zone()).date()
    end = NOW.astimezone(zone()).date()
    with time_machine.travel(NOW, tick=False):
        for days_ago in range(1, 10):
            views(article.pk, NOW - timedelta(days=days_ago), 2)
        roll_up()
        query = {"start": start, "end": end}
        first = analyst.get("/admin/analytics/", query)
        assert first.status_code == 200
        with CaptureQueriesContext(connection) as second_load:
            again = analyst.get("/admin/analytics/", query)
        assert again.status_code == 200
        # The second load reads the closed days' rollups not at all; today's (one day) only.
        ranged = [q["sql"] for q in second_load.captured_queries if "analytics_dailyrollup" in q["sql"]]
        assert len(ranged) == 1, ranged
        assert funnel(analyst, start, end)["views"] == 18
        # A late event on yesterday (a webhook's, written with its own time): the next run rolls
        # yesterday again, and the kept answer, keyed by what the day was made from, is not reused.
        views(article.pk, NOW - timedelta(days=1), 1)
        roll_up()
        assert funnel(analyst, start, end)["views"] == 19
        page = analyst.get("/admin/analytics/", query).content.decode()
    assert 'data-step="views"><th scope="row">Article views</th><td class="num" data-count>19<' in page


def test_a_second_run_leaves_an_unchanged_closed_day_alone(pub: Any) -> None:
    article = make_article(pub)
    with time_machine.travel(NOW, tick=False):
        views(article.pk, NOW - timedelta(days=1), 3)
        roll_up()
        yesterday = (NOW - timedelta(days=1)).astimezone(zone()).date()
        ids = set(DailyRollup.objects.filter(day=yesterday).values_list("id", flat=True))
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        roll_up()
        assert set(DailyRollup.objects.filter(day=yesterday).values_list("id", flat=True)) == ids
        views(article.pk, NOW - timedelta(days=1), 1)
        roll_up()
        assert set(DailyRollup.objects.filter(day=yesterday).values_list("id", flat=True)) != ids


def test_the_rollup_job_leaves_the_default_view_ready_for_the_first_publisher(
    pub: Any, analyst: Client
) -> None:
    from masthead.analytics.jobs import roll_up_and_warm

    article = make_article(pub)
    with time_machine.travel(NOW, tick=False):
        for days_ago in range(1, 10):
            views(article.pk, NOW - timedelta(days=days_ago), 2)
        roll_up_and_warm()
        with CaptureQueriesContext(connection) as first_load:
            page = analyst.get("/admin/analytics/")  # the last 30 days, by article
        assert page.status_code == 200
        ranged = [q["sql"] for q in first_load.captured_queries if "analytics_dailyrollup" in q["sql"]]
        assert len(ranged) == 1, ranged  # today's rollup so far only
    assert 'data-step="views"><th scope="row">Article views</th><td class="num" data-count>18<' in (
        page.content.decode()
    )
