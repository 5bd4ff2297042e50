from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser

from masthead.importers.ghost import import_ghost
from masthead.importers.management.commands._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import a Ghost JSON export (4.x, 5.x): posts, pages, tags, authors, pictures, visibility, old URLs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The JSON file Ghost exported (Settings → Labs → Export).")
        parser.add_argument("--members", default="", metavar="FILE.csv", help="Ghost's members CSV export.")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        members = None
        if options["members"]:
            try:
                from masthead.importers.members.ghost import import_ghost_members
            except ImportError as exc:
                raise CommandError(
                    f"Importing Ghost members is not available in this version: {exc}"
                ) from exc
            members = import_ghost_members
        report = self.run_import(import_ghost, options["file"], options)
        if members is not None:
            try:
                members(options["members"], report=report, dry_run=options["dry_run"])
            except (OSError, ValueError) as exc:
                raise CommandError(f"{options['members']}: {exc}") from exc
        self.finish(report)
