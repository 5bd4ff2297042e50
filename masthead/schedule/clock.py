"""The newsroom's clock: one loop that runs each scheduled job when it is due and the task queue
in between, until it is told to stop.

Several clocks may run at once (one per host): each job is claimed in the database before it runs
(`masthead.schedule.lease`) and each queued task is locked before it runs, so nothing runs twice.
A stop request (SIGTERM) lets the job or task in hand finish, then the loop ends; the schedule
lives in the database, so the next start resumes it where it was.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from masthead.schedule.jobs import Job, NothingToDo
from masthead.schedule.lease import Claim, claim, due_job_names, ensure_jobs, record, runner_name
from masthead.schedule.models import Outcome
from masthead.schedule.task_queue import database_backends, run_waiting_tasks

logger = logging.getLogger(__name__)

MIN_TICK = 0.2
MAX_TICK = 60.0
# Tasks run per tick before the clock looks at the schedule again: a long queue cannot hold up
# scheduled publishing for more than a few tasks.
TASKS_PER_TICK = 20


@dataclass(frozen=True)
class Run:
    job: str
    outcome: str
    summary: str
    seconds: float

    def line(self) -> str:
        return f"{self.job}: {self.outcome} in {self.seconds:.2f} s — {self.summary}"


@dataclass
class Tick:
    runs: list[Run] = field(default_factory=list)
    tasks: int = 0


class NewsroomClock:
    def __init__(
        self,
        *,
        jobs: list[Job],
        tick_seconds: float,
        report: Callable[[str], None] = logger.info,
        task_backends: list[str] | None = None,
    ) -> None:
        if not MIN_TICK <= tick_seconds <= MAX_TICK:
            raise ValueError(
                f"The tick must be between {MIN_TICK} and {MAX_TICK} seconds, not {tick_seconds}."
            )
        self.jobs = jobs
        self.tick_seconds = tick_seconds
        self.report = report
        self.task_backends = database_backends() if task_backends is None else task_backends
        self.runner = runner_name()
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run(self, *, once: bool = False) -> list[Tick]:
        """Tick until stopped (or once). Returns the ticks' reports only when `once`."""
        ensure_jobs(jobs=self.jobs, now=timezone.now())
        if once:
            return [self.tick()]
        while not self.stopping:
            close_old_connections()  # as a request would: drop connections the server closed
            try:
                busy = self.tick().tasks >= TASKS_PER_TICK
            except DatabaseError:
                # The database is restarting or locked: say so and try again next tick.
                logger.exception("The newsroom clock could not reach the database; retrying.")
                busy = False
            if not busy:
                self._stopping.wait(self.tick_seconds)
        return []

    def tick(self) -> Tick:
        tick = Tick()
        due = due_job_names(now=timezone.now())
        for job in self.jobs:
            if self.stopping:
                return tick
            if job.name not in due:
                continue
            claimed = claim(job=job, runner=self.runner, now=timezone.now())
            if claimed is not None:  # else another clock took it first
                tick.runs.append(self._run(claimed))
        for backend_name in self.task_backends:
            tick.tasks += run_waiting_tasks(
                backend_name=backend_name,
                runner=self.runner,
                limit=TASKS_PER_TICK,
                stop=lambda: self.stopping,
            )
        return tick

    def _run(self, claimed: Claim) -> Run:
        started = time.monotonic()
        try:
            outcome, summary = Outcome.OK, claimed.job.run()
        except NothingToDo as exc:
            outcome, summary = Outcome.SKIPPED, str(exc)
        except Exception as exc:
            logger.exception("Scheduled job %s failed", claimed.job.name)
            outcome, summary = Outcome.FAILED, f"{type(exc).__name__}: {exc}"
            if not connection.in_atomic_block:
                close_old_connections()  # a failed statement may have left the connection unusable
        seconds = time.monotonic() - started
        finished_at = timezone.now()
        kept = record(
            claim=claimed, outcome=outcome, summary=summary, finished_at=finished_at, duration=seconds
        )
        run = Run(job=claimed.job.name, outcome=str(outcome), summary=summary, seconds=seconds)
        self.report(run.line() if kept else f"{run.line()} (not recorded: ran past its time limit)")
        return run
