"""What staff see of the scheduled work: each job's last run, outcome, duration and next run, and
what waits on the task queue — "Scheduled publishing and expiry: done 40 seconds ago"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min
from django_tasks_db.models import DBTaskResult

from masthead.schedule.jobs import Job
from masthead.schedule.models import ScheduledJob

# A job this far past its due time means no scheduler is running (or all of them are stuck).
LATE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class JobLine:
    name: str
    label: str
    every: timedelta
    row: ScheduledJob | None
    late: bool


@dataclass(frozen=True)
class QueueLine:
    backend: str
    waiting: int
    oldest: datetime | None


def job_lines(*, jobs: list[Job], now: datetime) -> list[JobLine]:
    rows = {row.name: row for row in ScheduledJob.objects.filter(name__in=[j.name for j in jobs])}
    lines = []
    for job in jobs:
        row = rows.get(job.name)
        late = row is None or row.next_run_at < now - LATE_AFTER
        lines.append(JobLine(name=job.name, label=job.label, every=job.every, row=row, late=late))
    return lines


def queue_lines(*, backends: list[str]) -> list[QueueLine]:
    lines = []
    for backend in backends:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend)
        oldest = ready.aggregate(oldest=Min("enqueued_at"))["oldest"]
        lines.append(QueueLine(backend=backend, waiting=ready.count(), oldest=oldest))
    return lines
