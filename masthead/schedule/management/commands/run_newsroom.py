"""`manage.py run_newsroom`: the newsroom's scheduled work in one long-running process.

Runs Wagtail's scheduled publishing and expiry every minute, the billing sweep every ten minutes,
meter pruning, Stripe reconciliation and task-queue tidying daily (and any job another app
registers), and between them the e-mails and other tasks waiting on the database task queue.
Start it next to the web server (`make demo` does; in production a systemd unit, see the README).
Any number may run at once, on any number of hosts: each run is claimed in the database first.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.schedule.clock import MAX_TICK, MIN_TICK, NewsroomClock
from masthead.schedule.jobs import newsroom_jobs
from masthead.schedule.models import Outcome


def _tick(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise CommandError(f"--tick: {value!r} is not a number of seconds.") from None
    if not MIN_TICK <= seconds <= MAX_TICK:
        raise CommandError(f"--tick: between {MIN_TICK} and {MAX_TICK} seconds, not {value}.")
    return seconds


class Command(BaseCommand):
    help = "Run scheduled publishing, billing sweeps, meter pruning and the task queue until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--tick",
            type=_tick,
            default=2.0,
            help=f"Seconds between looks at the schedule and the queue ({MIN_TICK}-{MAX_TICK}, default 2).",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run what is due now and the waiting tasks, then exit (non-zero if a job failed).",
        )

    def handle(self, *args: Any, tick: float, once: bool, **options: Any) -> None:
        clock = NewsroomClock(jobs=newsroom_jobs(), tick_seconds=tick, report=self._say)

        def stop(signum: int, frame: FrameType | None) -> None:
            self._say(f"{signal.Signals(signum).name}: finishing the work in hand, then stopping.")
            clock.stop()
            signal.signal(signum, signal.SIG_DFL)  # a second signal stops at once

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
            names = ", ".join(job.name for job in clock.jobs)
            self._say(f"Newsroom clock {clock.runner} started (every {tick:g} s): {names}.")
        ticks = clock.run(once=once)
        failed = [run for t in ticks for run in t.runs if run.outcome == Outcome.FAILED]
        if failed:
            raise CommandError("; ".join(run.line() for run in failed))
        if not once:
            self._say("Newsroom clock stopped.")

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()
