"""What the import commands share: options, the report printed, the closing line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masthead.importers.errors import BadExport
from masthead.importers.records import ImportOptions
from masthead.importers.report import Report
from masthead.importers.writer import ImportError_


class ImportCommand(BaseCommand):
    source = ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report what would happen; write nothing.")
        parser.add_argument("--media-dir", default="", help="The old site's uploads folder.")
        parser.add_argument(
            "--no-download", action="store_true", help="Never download pictures from the old site."
        )
        parser.add_argument(
            "--section", default="", help="Section slug for articles the source maps to none."
        )
        parser.add_argument(
            "--map-section",
            action="append",
            default=[],
            metavar="SOURCE=SECTION",
            help="Put the source's category/tag SOURCE into the section SECTION (repeatable).",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Also replace items editors have changed since the import.",
        )
        parser.add_argument(
            "--old-site", default="", help="The old site's address, for relative media links."
        )

    def options_from(self, options: dict[str, Any]) -> ImportOptions:
        mapping = {}
        for pair in options["map_section"]:
            if "=" not in pair:
                raise CommandError(f"--map-section takes SOURCE=SECTION, not {pair!r}")
            key, value = pair.split("=", 1)
            mapping[key.strip()] = value.strip()
        return ImportOptions(
            dry_run=options["dry_run"],
            media_dir=options["media_dir"],
            download=not options["no_download"],
            section=options["section"],
            overwrite=options["overwrite"],
            old_site=options["old_site"],
            section_map=mapping,
        )

    def run_import(
        self, func: Any, path: str, options: dict[str, Any], report: Report | None = None
    ) -> Report:
        report = report or Report(dry_run=options["dry_run"])
        try:
            func(path, options=self.options_from(options), report=report)
        except BadExport as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except ImportError_ as exc:
            raise CommandError(str(exc)) from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        return report

    def finish(self, report: Report) -> None:
        self.stdout.write(report.table())
        self.stdout.write(report.line())
