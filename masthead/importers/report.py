"""The import report: counts per kind of what was (or, in a dry run, would be) created,
updated and skipped, and every warning with the source id it concerns."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

ACTIONS = ("created", "updated", "skipped")


@dataclass
class ReportWarning:
    source_id: str
    message: str


@dataclass
class Report:
    dry_run: bool = False
    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: dict.fromkeys(ACTIONS, 0))
    )
    warnings: list[ReportWarning] = field(default_factory=list)

    def count(self, kind: str, action: str, n: int = 1) -> None:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        self.counts[kind][action] += n

    def created(self, kind: str) -> None:
        self.count(kind, "created")

    def updated(self, kind: str) -> None:
        self.count(kind, "updated")

    def skipped(self, kind: str) -> None:
        self.count(kind, "skipped")

    def warn(self, source_id: object, message: str) -> None:
        self.warnings.append(ReportWarning(str(source_id), message))

    def total(self, action: str) -> int:
        return sum(row[action] for row in self.counts.values())

    def line(self) -> str:
        return (
            f"created {self.total('created')}, updated {self.total('updated')}, "
            f"skipped {self.total('skipped')}, warnings {len(self.warnings)}"
        )

    def table(self) -> str:
        """A plain-text table, one row per kind, then the warnings."""
        heading = "(dry run: nothing was written)\n" if self.dry_run else ""
        rows = [("kind", *ACTIONS)]
        for kind in sorted(self.counts):
            rows.append((kind, *(str(self.counts[kind][a]) for a in ACTIONS)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = [
            "  ".join(
                cell.ljust(w) if i == 0 else cell.rjust(w)
                for i, (cell, w) in enumerate(zip(r, widths, strict=True))
            )
            for r in rows
        ]
        out = heading + "\n".join(lines)
        if self.warnings:
            out += "\n\nwarnings:\n" + "\n".join(f"  [{w.source_id}] {w.message}" for w in self.warnings)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "counts": {k: dict(v) for k, v in self.counts.items()},
            "warnings": [[w.source_id, w.message] for w in self.warnings],
            "line": self.line(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        report = cls(dry_run=bool(data.get("dry_run", False)))
        for kind, row in (data.get("counts") or {}).items():
            for action in ACTIONS:
                report.counts[kind][action] = int(row.get(action, 0))
        report.warnings = [ReportWarning(str(s), str(m)) for s, m in data.get("warnings") or []]
        return report

    def merge(self, other: Report) -> None:
        for kind, row in other.counts.items():
            for action in ACTIONS:
                self.counts[kind][action] += row[action]
        self.warnings.extend(other.warnings)
