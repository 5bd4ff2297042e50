"""What was imported from where: one row per source item, and one row per import run."""

from django.db import models
from django.utils.translation import gettext_lazy as _

SOURCES = [
    ("wordpress", "WordPress"),
    ("ghost", "Ghost"),
    ("substack", "Substack"),
]

KINDS = (
    "article",
    "page",
    "section",
    "topic",
    "author",
    "image",
    "reader",
    "entitlement",
    "redirect",
)


class ImportedItem(models.Model):
    """Ties a source item (source, kind, source id) to the object it became.

    A second run finds the row and updates (or skips) instead of creating again; the checksum
    is the source item's content when last written, so an unchanged item is skipped and an
    edited one becomes a new revision.
    """

    source = models.CharField(max_length=20, choices=SOURCES)
    kind = models.CharField(max_length=20, choices=[(k, k) for k in KINDS])
    source_id = models.CharField(max_length=255)
    object_id = models.CharField(max_length=64, blank=True)
    checksum = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="importers_item_unique_source_id"
            )
        ]
        verbose_name = _("imported item")
        verbose_name_plural = _("imported items")

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} → {self.object_id}"


class ImportRun(models.Model):
    """One import started from the admin or a command: its progress and the report kept after."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    source = models.CharField(max_length=20, choices=SOURCES)
    file_name = models.CharField(max_length=255, blank=True)
    # The uploaded export, kept outside the public media folder (it holds drafts and paid stories).
    stored_path = models.CharField(max_length=500, blank=True)
    members_path = models.CharField(max_length=500, blank=True)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, round(100 * self.progress_done / self.progress_total))
