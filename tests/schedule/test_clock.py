"""The newsroom clock in this process: what `run_newsroom` runs, records and shows to staff."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from masthead.news.models import ArticlePage
from masthead.schedule.clock import NewsroomClock
from masthead.schedule.jobs import Job, NothingToDo, newsroom_jobs
from masthead.schedule.lease import RETRY_AFTER
from masthead.schedule.models import Outcome, ScheduledJob
from tests.builders import Publication, canary_for, make_article

pytestmark = pytest.mark.django_db


def run_once() -> str:
    out = io.StringIO()
    call_command("run_newsroom", "--once", stdout=out)
    return out.getvalue()


def job(name: str) -> ScheduledJob:
    return ScheduledJob.objects.get(name=name)


def scheduled_draft(pub: Publication, *, go_live_in: timedelta) -> ArticlePage:
    article = make_article(pub, access="free", title="Quay reopening announced")
    article.unpublish()
    article.refresh_from_db()
    article.go_live_at = timezone.now() + go_live_in
    article.save_revision().publish()  # with go_live_at ahead this schedules, it does not publish
    article.refresh_from_db()
    assert not article.live
    return article


def test_the_scheduler_publishes_a_scheduled_article_and_unpublishes_an_expired_one(
    pub: Publication,
) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        going_live = scheduled_draft(pub, go_live_in=timedelta(minutes=5))
        expiring = make_article(pub, access="free", title="Harbour closure notice")
        expiring.expire_at = timezone.now() + timedelta(minutes=5)
        expiring.save_revision().publish()
        assert Client().get(going_live.url).status_code == 404

        clock.shift(timedelta(minutes=6))
        output = run_once()

        going_live.refresh_from_db()
        expiring.refresh_from_db()
        assert going_live.live
        assert canary_for(going_live.slug) in Client().get(going_live.url).content.decode()
        assert not expiring.live and expiring.expired
        assert Client().get(expiring.url).status_code == 404
        publishing = job("publish_scheduled")
        assert publishing.last_outcome == Outcome.OK and publishing.runs == 1
        assert publishing.last_summary == "Published 1 scheduled, unpublished 1 expired."
        assert publishing.last_duration_seconds is not None and publishing.last_duration_seconds >= 0
        assert publishing.next_run_at == timezone.now() + timedelta(minutes=1)
        assert "publish_scheduled: ok" in output


def test_every_registered_job_runs_when_due_and_not_again_before_its_time(pub: Publication) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        run_once()
        names = {j.name for j in newsroom_jobs()}
        assert {"publish_scheduled", "billing_sweep", "prune_meter", "billing_reconcile"} <= names
        assert {row.name: row.runs for row in ScheduledJob.objects.all()} == dict.fromkeys(names, 1)
        # Without a Stripe key there is nothing to reconcile: skipped, not failed.
        assert job("billing_reconcile").last_outcome == Outcome.SKIPPED
        assert job("billing_sweep").last_summary.startswith("Tidied 0 subscriptions")
        assert job("prune_meter").last_summary.startswith("Deleted 0 meter reads")

        run_once()
        assert job("publish_scheduled").runs == 1

        clock.shift(timedelta(minutes=1))
        run_once()
        assert job("publish_scheduled").runs == 2
        assert job("billing_sweep").runs == 1

        clock.shift(timedelta(minutes=9))
        run_once()
        assert job("billing_sweep").runs == 2
        assert job("prune_meter").runs == 1


def test_a_failing_job_is_recorded_and_retried_sooner_and_does_not_stop_the_others(db: Any) -> None:
    def broken() -> str:
        raise RuntimeError("the wire service is down")

    def idle() -> str:
        raise NothingToDo("Nothing here.")

    jobs = [
        Job(name="wire_import", label="Wire import", every=timedelta(hours=1), run=broken),
        Job(name="front_refresh", label="Front refresh", every=timedelta(hours=1), run=lambda: "Fine."),
        Job(
            name="idle",
            label="Idle",
            every=timedelta(hours=1),
            run=idle,
        ),
    ]
    lines: list[str] = []
    with time_machine.travel(timezone.now(), tick=False):
        clock = NewsroomClock(jobs=jobs, tick_seconds=1, report=lines.append, task_backends=[])
        [tick] = clock.run(once=True)
        failed = job("wire_import")
        assert failed.last_outcome == Outcome.FAILED and failed.failures == 1
        assert failed.last_summary == "RuntimeError: the wire service is down"
        assert failed.next_run_at == timezone.now() + RETRY_AFTER
        assert job("front_refresh").last_outcome == Outcome.OK
        assert job("idle").last_outcome == Outcome.SKIPPED and job("idle").last_summary == "Nothing here."
    assert [run.outcome for run in tick.runs] == ["failed", "ok", "skipped"]
    assert any(line.startswith("wire_import: failed") for line in lines)


def test_run_once_exits_non_zero_when_a_job_failed(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from masthead.schedule import jobs

    def broken() -> str:
        raise RuntimeError("no route to the printer")

    monkeypatch.setattr(
        jobs,
        "_registered",
        {"print_run": Job(name="print_run", label="Print run", every=timedelta(hours=1), run=broken)},
    )
    with pytest.raises(CommandError, match=r"print_run: failed .* no route to the printer"):
        run_once()


@pytest.mark.parametrize("tick", ["0", "61", "soon"])
def test_a_tick_outside_its_bounds_is_refused_with_a_clear_error(db: Any, tick: str) -> None:
    with pytest.raises(CommandError, match="--tick"):
        call_command("run_newsroom", "--tick", tick, "--once")


@pytest.mark.parametrize(
    ("name", "every", "message"),
    [
        ("Front Page", timedelta(minutes=1), "lower-case letters"),
        ("front_page", timedelta(0), "at least one second"),
    ],
)
def test_a_job_with_a_bad_name_or_interval_is_refused(name: str, every: timedelta, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Job(name=name, label="Front page", every=every, run=lambda: "")


def test_the_scheduler_runs_e_mails_waiting_on_the_database_task_queue(db: Any, settings: Any) -> None:
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    from masthead.billing.tasks import notify_subscription

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
        "worker": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"},
    }
    waiting = [notify_subscription.enqueue(999_999) for _ in range(3)]  # no such subscription: a no-op
    assert DBTaskResult.objects.ready().count() == 3

    clock = NewsroomClock(jobs=[], tick_seconds=1)
    [tick] = clock.run(once=True)

    assert tick.tasks == 3
    assert DBTaskResult.objects.ready().count() == 0
    assert {r.status for r in DBTaskResult.objects.filter(id__in=[w.id for w in waiting])} == {"SUCCESSFUL"}
    assert mail.outbox == []


def test_staff_see_when_each_job_last_ran_and_how_it_went(pub: Publication) -> None:
    user_model = get_user_model()
    editor = user_model.objects.create_superuser(email="editor@example.com", password="x")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        run_once()
        clock.shift(timedelta(seconds=40))
        client = Client()
        client.force_login(editor)
        page = client.get("/admin/reports/scheduled-work/").content.decode()
    assert "Scheduled publishing and expiry" in page
    assert "40\xa0seconds ago" in page
    assert "Published 0 scheduled, unpublished 0 expired." in page
    assert 'data-outcome="skipped"' in page  # the reconcile without a Stripe key


def test_the_report_says_when_scheduled_publishing_is_late(pub: Publication) -> None:
    editor = get_user_model().objects.create_superuser(email="editor@example.com", password="x")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        run_once()
        clock.shift(timedelta(minutes=10))  # nothing ran since: no scheduler is running
        client = Client()
        client.force_login(editor)
        page = client.get("/admin/reports/scheduled-work/").content.decode()
    assert "is manage.py run_newsroom running?" in page


def test_readers_and_staff_without_the_permission_do_not_see_the_report(pub: Publication) -> None:
    user_model = get_user_model()
    reader = user_model.objects.create_user(email="reader@example.com", password="x")
    client = Client()
    client.force_login(reader)
    assert client.get("/admin/reports/scheduled-work/").status_code in (302, 403)
    from django.contrib.auth.models import Permission

    staff = user_model.objects.create_user(email="desk@example.com", password="x", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get("/admin/reports/scheduled-work/").status_code in (302, 403)
    staff.user_permissions.add(Permission.objects.get(codename="view_scheduledjob"))
    staff = user_model.objects.get(pk=staff.pk)
    client.force_login(staff)
    assert client.get("/admin/reports/scheduled-work/").status_code == 200
