"""`manage.py rename_image_files`: after upgrading, give older image files their random names.

Releases before masthead.core.media_names stored photos under their upload's name
(`original_images/<slug>-map.jpg`), which anyone could guess. Run once after upgrading (again is
harmless), then restart the app servers so none shows a rendition it still keeps in memory.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from masthead.core.media_names import rename_guessable_images


class Command(BaseCommand):
    help = "Store image files saved under guessable names again under random names."

    def handle(self, *args: Any, **options: Any) -> None:
        renamed = rename_guessable_images()
        for name in renamed.missing:
            self.stderr.write(f"Missing from storage, left as it is: {name}")
        report = (
            f"Renamed {renamed.originals} original image file(s); removed {renamed.renditions_dropped} "
            "rendition(s), made again under random names when next shown."
        )
        if renamed.originals or renamed.renditions_dropped:
            report += " Restart the app servers."
        self.stdout.write(report)
