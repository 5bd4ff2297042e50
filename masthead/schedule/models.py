"""One row per scheduled job: when it is next due (its lease) and how its last run went."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    OK = "ok", _("Done")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class ScheduledJob(models.Model):
    """`next_run_at` is both the schedule and the lease.

    A process that finds the job due claims it with one UPDATE that moves `next_run_at` past the
    run's time limit; only the process whose UPDATE changed the row runs the job, so two scheduler
    processes (two hosts) never run it twice. When the run ends the owner sets the real next time.
    A process that dies mid-run leaves the lease to expire: the job runs again after its limit.
    """

    name = models.SlugField(_("name"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    claimed_by = models.CharField(_("claimed by"), max_length=120, blank=True)
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=16, choices=Outcome.choices, blank=True)
    last_summary = models.TextField(_("last summary"), blank=True)
    last_duration_seconds = models.FloatField(_("last duration (seconds)"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scheduled job")

    def __str__(self) -> str:
        return self.name
