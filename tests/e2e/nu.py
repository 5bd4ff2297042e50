"""The Nu HTML checker (vnu.jar from npm's `vnu-jar`, run by the machine's Java) over pages a test saw.

The checker refuses loopback URLs, so each page's HTML is saved to a file as the server sent it and
the files are checked together: one JVM start (about two seconds) per batch, not one per page.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def unavailable_reason() -> str | None:
    """Why the checker cannot run on this machine (no Java), or None when it can. A missing
    vnu.jar is not a reason to skip: `npm ci --ignore-scripts` installs it from the lock file."""
    if shutil.which("java") is None:
        return "java is not installed: the Nu HTML checker (vnu.jar) needs a Java runtime"
    return None


@dataclass(frozen=True)
class NuError:
    url: str
    line: int | None
    column: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "") if self.line else "?"
        return f"{self.url} {where}: {self.message} [{self.extract.strip()}]"


@dataclass(frozen=True)
class NuMessage:
    """One message of the checker: `kind` is "error", "non-document-error", "warning" or "info"."""

    url: str
    line: int | None
    column: int | None
    message: str
    extract: str
    kind: str


class NuChecker:
    """Pages saved under `directory`, each remembered with the URL it came from."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.pages: dict[Path, str] = {}

    def add(self, url: str, html: str) -> Path:
        path = self.directory / f"page-{len(self.pages) + 1:03d}.html"
        path.write_text(html, encoding="utf-8")
        self.pages[path] = url
        return path

    def errors(self) -> list[NuError]:
        """Check every saved page in one run; errors only (the checker's warnings are advice)."""
        return [
            NuError(url=m.url, line=m.line, column=m.column, message=m.message, extract=m.extract)
            for m in self.messages()
            if m.kind in ("error", "non-document-error")
        ]

    def messages(self) -> list[NuMessage]:
        """Check every saved page in one run; every message, warnings included, with its page's URL."""
        if not self.pages:
            return []
        assert VNU_JAR.exists(), f"{VNU_JAR} is missing: run `npm ci --ignore-scripts`"
        completed = subprocess.run(
            ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", *map(str, self.pages)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        try:
            report = json.loads(completed.stdout)
        except json.JSONDecodeError as error:
            raise RuntimeError(
                f"vnu.jar gave no JSON report: {completed.stdout[:500]} {completed.stderr[:500]}"
            ) from error
        by_file = {str(path.resolve()): url for path, url in self.pages.items()}
        found = []
        for message in report["messages"]:
            kind = message["type"]
            if kind == "info" and message.get("subType") == "warning":
                kind = "warning"
            source = unquote(urlsplit(message.get("url", "")).path)  # vnu says file:/dir/page.html
            found.append(
                NuMessage(
                    url=by_file.get(source, source),
                    line=message.get("lastLine"),
                    column=message.get("firstColumn"),
                    message=message["message"],
                    extract=message.get("extract", ""),
                    kind=kind,
                )
            )
        return found
