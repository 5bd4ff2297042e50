"""Claiming a due job (one atomic UPDATE) and recording how its run went.

The claim is `UPDATE ... SET next_run_at = now + time limit WHERE name = ? AND next_run_at <= now`:
on PostgreSQL the second of two racing UPDATEs waits for the first, re-reads the row, finds it
no longer due and changes nothing; on SQLite writes are serialised by the database lock. Either
way exactly one process sees "1 row changed" and runs the job. Times come from this process's
clock: hosts running the scheduler keep their clocks in sync (NTP), as they must for expiry anyway.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F

from masthead.schedule.jobs import Job
from masthead.schedule.models import Outcome, ScheduledJob

# A failed run is tried again this soon (or at its normal time, if that comes first).
RETRY_AFTER = timedelta(minutes=5)
SUMMARY_LIMIT = 2000


def runner_name() -> str:
    """Who holds a claim: host, process and a random tag (pids are reused after a restart)."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Claim:
    job: Job
    runner: str
    started_at: datetime


def ensure_jobs(*, jobs: list[Job], now: datetime) -> None:
    """A row per job, first due now. Existing rows keep their schedule (a restart resumes it),
    but never wait longer than the job's interval if the interval was shortened in code."""
    for job in jobs:
        # get_or_create survives a neighbour creating the same row first (the name is unique).
        ScheduledJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
        ScheduledJob.objects.filter(name=job.name, next_run_at__gt=now + job.lease).update(
            next_run_at=now + job.every
        )


def due_job_names(*, now: datetime) -> set[str]:
    # A read first, so an idle tick never takes the database's write lock.
    return set(ScheduledJob.objects.filter(next_run_at__lte=now).values_list("name", flat=True))


def claim(*, job: Job, runner: str, now: datetime) -> Claim | None:
    changed = ScheduledJob.objects.filter(name=job.name, next_run_at__lte=now).update(
        next_run_at=now + job.lease, claimed_by=runner, last_started_at=now
    )
    return Claim(job=job, runner=runner, started_at=now) if changed == 1 else None


def record(*, claim: Claim, outcome: str, summary: str, finished_at: datetime, duration: float) -> bool:
    """Store the run and set the next due time. False if the claim was lost meanwhile (the run took
    longer than its time limit and another process claimed the job): then nothing is written."""
    job = claim.job
    next_run_at = claim.started_at + job.every
    if outcome == Outcome.FAILED:
        next_run_at = min(next_run_at, finished_at + RETRY_AFTER)
    mine = ScheduledJob.objects.filter(
        name=job.name, claimed_by=claim.runner, last_started_at=claim.started_at
    )
    values: dict[str, object] = {
        "next_run_at": next_run_at,
        "last_finished_at": finished_at,
        "last_outcome": outcome,
        "last_summary": summary[:SUMMARY_LIMIT],
        "last_duration_seconds": round(duration, 3),
    }
    values["runs"] = F("runs") + 1
    if outcome == Outcome.FAILED:
        values["failures"] = F("failures") + 1
    return mine.update(**values) == 1
