from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from masthead.importers.management.commands._importing import ImportCommand
from masthead.importers.wordpress import import_wordpress


class Command(ImportCommand):
    help = "Import a WordPress WXR export: posts, pages, categories, tags, authors, media, old URLs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The WXR (.xml) file WordPress exported.")
        super().add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        self.finish(self.run_import(import_wordpress, options["file"], options))
