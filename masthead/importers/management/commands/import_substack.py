from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from masthead.importers.errors import BadExport
from masthead.importers.management.commands._importing import ImportCommand
from masthead.importers.substack import import_substack, members_csv, open_export


class Command(ImportCommand):
    help = (
        "Import a Substack export (folder or zip): posts, pages, audience, old /p/ URLs, and its e-mail list."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The export's folder or its zip file.")
        parser.add_argument("--no-members", action="store_true", help="Leave the e-mail list out.")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        report = self.run_import(import_substack, options["path"], options)
        if not options["no_members"]:
            self._members(options, report)
        self.finish(report)

    def _members(self, options: dict[str, Any], report: Any) -> None:
        try:
            with open_export(options["path"]) as export:
                name = members_csv(export)
                if name is None:
                    return
                try:
                    from masthead.importers.members.substack import import_substack_members
                except ImportError as exc:
                    raise CommandError(
                        f"Importing Substack readers is not available in this version: {exc}"
                    ) from exc
                with tempfile.TemporaryDirectory() as folder:
                    copy = Path(folder) / Path(name).name
                    copy.write_bytes(export.read(name) or b"")
                    import_substack_members(str(copy), report=report, dry_run=options["dry_run"])
        except BadExport as exc:
            raise CommandError(f"{options['path']}: {exc}") from exc
