"""Imports started from the admin: kept privately, run on the task worker, progress and report kept."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from masthead.importers.errors import BadExport
from masthead.importers.models import ImportRun
from masthead.importers.records import ImportOptions
from masthead.importers.report import Report

PROGRESS_EVERY = 10


def private_folder() -> Path:
    """Uploads hold drafts and paid stories: never under the public media folder."""
    folder = Path(settings.VAR_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_upload(upload: Any) -> str:
    suffix = Path(upload.name).suffix.lower()[:10]
    path = private_folder() / f"{uuid.uuid4().hex}{suffix}"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return str(path)


def _importer(source: str) -> Any:
    if source == "wordpress":
        from masthead.importers.wordpress import import_wordpress

        return import_wordpress
    if source == "ghost":
        from masthead.importers.ghost import import_ghost

        return import_ghost
    from masthead.importers.substack import import_substack

    return import_substack


def _total(run: ImportRun) -> int:
    try:
        if run.source == "wordpress":
            from masthead.importers.wordpress import count_items

            return count_items(run.stored_path)
        if run.source == "ghost":
            from masthead.importers.ghost import load_export

            return len(load_export(run.stored_path)["posts"])
    except BadExport:
        return 0
    return 0


def execute(run_id: int) -> ImportRun:
    """Run one import (or its dry run), keeping progress and the report on the ImportRun."""
    run = ImportRun.objects.get(pk=run_id)
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), progress_total=_total(run)
    )
    report = Report(dry_run=run.dry_run)
    options = ImportOptions.from_json({**run.options, "dry_run": run.dry_run})

    def progress(done: int) -> None:
        if done % PROGRESS_EVERY == 0:
            ImportRun.objects.filter(pk=run.pk).update(progress_done=done)

    status, error = ImportRun.Status.DONE, ""
    try:
        _importer(run.source)(run.stored_path, options=options, report=report, progress=progress)
        if run.members_path:
            _members(run, report)
    except BadExport as exc:
        status, error = ImportRun.Status.FAILED, f"{run.file_name}: {exc}"
    except Exception as exc:
        status, error = ImportRun.Status.FAILED, f"{exc.__class__.__name__}: {exc}"
    done_count = sum(sum(row.values()) for row in report.counts.values())
    ImportRun.objects.filter(pk=run.pk).update(
        status=status,
        error=error,
        report=report.to_json(),
        finished_at=timezone.now(),
        progress_done=max(done_count, run.progress_done),
    )
    run.refresh_from_db()
    return run


def _members(run: ImportRun, report: Report) -> None:
    if run.source == "ghost":
        from masthead.importers.members.ghost import import_ghost_members

        import_ghost_members(run.members_path, report=report, dry_run=run.dry_run)
    elif run.source == "substack":
        from masthead.importers.members.substack import import_substack_members

        import_substack_members(run.members_path, report=report, dry_run=run.dry_run)


@task(backend="worker")
def import_task(run_id: int) -> str:
    return str(execute(run_id).status)


def start(run: ImportRun) -> None:
    """Hand the run to the task worker once it is saved (never run inside the web request)."""
    transaction.on_commit(lambda: import_task.enqueue(run.pk))


def confirm(dry_run: ImportRun) -> ImportRun:
    """The real import of a rehearsed file, with the options the dry run used."""
    run = ImportRun.objects.create(
        source=dry_run.source,
        file_name=dry_run.file_name,
        stored_path=dry_run.stored_path,
        members_path=dry_run.members_path,
        options=dry_run.options,
        dry_run=False,
    )
    start(run)
    return run


def forget_file(run: ImportRun) -> None:
    if run.stored_path and os.path.isfile(run.stored_path):
        os.remove(run.stored_path)
