"""Substack's e-mail list (email_list.<publication>.csv in the export) → readers.

Substack's list carries no Stripe ids, so a reader who pays on Substack cannot be linked to a
subscription here. Our choice: a complimentary entitlement until the `expiry` Substack gives (the
end of what they already paid for), with a warning naming them, so no paying reader is locked out
and nobody is charged; when it ends they subscribe here. A paid reader without an expiry date is
registered without access and listed for staff. Comp and gift members get a complimentary
entitlement until their expiry. Addresses at deletion-request.substack.com are skipped.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from masthead.importers.errors import BadExport
from masthead.importers.members.csvfile import RowProblem, read_rows
from masthead.importers.members.records import SUBSTACK_REQUIRED, MemberRecord, substack_record
from masthead.importers.members.writer import import_members, readable_records
from masthead.importers.report import Report


def _is_email_list(name: str) -> bool:
    base = name.rsplit("/", 1)[-1].lower()
    return base.endswith(".csv") and (base.startswith("email_list") or base.startswith("emails"))


@contextmanager
def open_email_list(path: str | Path | IO[bytes]) -> Iterator[IO[bytes]]:
    """The e-mail list inside an export: the CSV itself, the export folder, or its zip."""
    if not isinstance(path, (str, Path)):
        yield path
        return
    path = Path(path)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.csv") if _is_email_list(p.name))
        if not found:
            raise BadExport(0, f"no email_list*.csv in {path.name}")
        with found[0].open("rb") as raw:
            yield raw
        return
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if _is_email_list(n))
            if not names:
                raise BadExport(0, f"no email_list*.csv in {path.name}")
            with archive.open(names[0]) as member:
                yield io.BufferedReader(member)  # type: ignore[arg-type]
        return
    with path.open("rb") as raw:
        yield raw


def substack_members(source: str | Path | IO[bytes], *, report: Report) -> list[MemberRecord]:
    problems: list[RowProblem] = []
    with open_email_list(source) as raw:
        rows = read_rows(raw, required=SUBSTACK_REQUIRED, problems=problems)
        return readable_records(rows, to_record=substack_record, problems=problems, report=report)


def import_substack_members(path: str | Path | IO[bytes], *, report: Report, dry_run: bool) -> None:
    import_members(substack_members(path, report=report), source="substack", report=report, dry_run=dry_run)
