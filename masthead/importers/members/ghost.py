"""Ghost's members CSV (Members → Export) → readers, paid status and newsletter choices."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from masthead.importers.members.csvfile import RowProblem, read_rows
from masthead.importers.members.records import (
    GHOST_ALIASES,
    GHOST_REQUIRED,
    MemberRecord,
    ghost_record,
)
from masthead.importers.members.writer import import_members, readable_records
from masthead.importers.report import Report


def ghost_members(source: str | Path | IO[bytes], *, report: Report) -> list[MemberRecord]:
    """Read the file; a row that cannot be read is warned with its line and skipped."""
    problems: list[RowProblem] = []
    rows = read_rows(source, required=GHOST_REQUIRED, aliases=GHOST_ALIASES, problems=problems)
    return readable_records(rows, to_record=ghost_record, problems=problems, report=report)


def import_ghost_members(path: str | Path | IO[bytes], *, report: Report, dry_run: bool) -> None:
    import_members(ghost_members(path, report=report), source="ghost", report=report, dry_run=dry_run)
