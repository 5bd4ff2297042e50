"""What the newsroom's scheduler runs, and how often.

Each job is a function that does its work and returns one line for the staff report ("Published
1 page, unpublished 2"). Another app adds its own with `register(Job(...))` from its
`AppConfig.ready()`; `manage.py run_newsroom` runs every registered job when it is due.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


class NothingToDo(Exception):
    """A job that has nothing to do here (e.g. no Stripe account): recorded as skipped, not failed."""


@dataclass(frozen=True)
class Job:
    name: str  # the lease row's key: lower-case letters, digits and underscores
    label: str  # what the newsroom calls it, in the report
    every: timedelta
    run: Callable[[], str]
    # How long a run may take before another process may assume its runner died and run it again.
    time_limit: timedelta | None = None

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"Job name {self.name!r}: use 1-64 lower-case letters, digits and underscores.")
        if self.every < timedelta(seconds=1):
            raise ValueError(f"Job {self.name!r}: 'every' must be at least one second, not {self.every}.")
        if self.time_limit is not None and self.time_limit < timedelta(seconds=1):
            raise ValueError(f"Job {self.name!r}: 'time_limit' must be at least one second.")

    @property
    def lease(self) -> timedelta:
        return self.time_limit or self.every


_registered: dict[str, Job] = {}


def register(job: Job) -> Job:
    if job.name in _registered and _registered[job.name] != job:
        raise ValueError(f"A different job named {job.name!r} is already registered.")
    _registered[job.name] = job
    return job


def newsroom_jobs() -> list[Job]:
    return list(_registered.values())


def _publish_scheduled() -> str:
    # Count what Wagtail's command is about to do: it reports nothing itself when not a dry run.
    from wagtail.models import Page, Revision

    now = timezone.now()
    expiring = Page.objects.filter(live=True, expire_at__lt=now).count()
    going_live = Revision.objects.filter(approved_go_live_at__lt=now).count()
    call_command("publish_scheduled", stdout=io.StringIO())
    return f"Published {going_live} scheduled, unpublished {expiring} expired."


def _billing_sweep() -> str:
    from masthead.billing.tasks import billing_sweep

    # Run here rather than queued: the report then shows the sweep's own outcome and duration.
    result = dict(billing_sweep.call())
    line = f"Tidied {result.pop('tidied', 0)} subscriptions, sent {result.pop('sent', 0)} e-mails"
    # Whatever else the sweep reports (e.g. duplicate payments settled), as it names it.
    extra = "".join(f", {name.replace('_', ' ')} {value}" for name, value in result.items())
    return f"{line}{extra}."


def _command_output(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    return lines[-1] if lines else "Done."


def _prune_meter() -> str:
    return _command_output("prune_meter")


def _billing_reconcile() -> str:
    if not settings.STRIPE_SECRET_KEY:
        raise NothingToDo("No Stripe key is configured: nothing to reconcile.")
    return _command_output("billing_reconcile")


def _prune_task_results() -> str:
    from masthead.schedule.task_queue import database_backends

    backends = database_backends()
    if not backends:
        raise NothingToDo("No database task queue is configured.")
    for backend in backends:
        # As command-line words: argparse would otherwise check its default backend ("default",
        # which runs tasks immediately here) and refuse it.
        call_command("prune_db_task_results", f"--backend={backend}", "--queue-name=*", verbosity=0)
    return f"Pruned finished tasks older than 14 days ({', '.join(backends)})."


register(
    Job(
        name="publish_scheduled",
        label="Scheduled publishing and expiry",
        every=MINUTE,
        run=_publish_scheduled,
        time_limit=5 * MINUTE,
    )
)
register(Job(name="billing_sweep", label="Billing sweep", every=10 * MINUTE, run=_billing_sweep))
register(Job(name="prune_meter", label="Meter pruning", every=DAY, run=_prune_meter, time_limit=DAY / 4))
register(
    Job(
        name="billing_reconcile",
        label="Reconcile with Stripe",
        every=DAY,
        run=_billing_reconcile,
        time_limit=DAY / 4,
    )
)
register(
    Job(
        name="prune_task_results",
        label="Task queue tidying",
        every=DAY,
        run=_prune_task_results,
        time_limit=DAY / 4,
    )
)
