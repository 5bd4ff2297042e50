"""Reading a members CSV row by row: the file is streamed, never loaded whole.

A line that is not UTF-8, a row with the wrong number of cells or a header without the columns
we need is answered with the line number and the reason; the rows around it still import.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from masthead.importers.errors import BadExport


@dataclass
class CsvRow:
    line: int  # the line the row starts on (1 is the header)
    cells: dict[str, str]


@dataclass
class RowProblem:
    line: int
    reason: str


def _decoded_lines(raw: IO[bytes], problems: list[RowProblem]) -> Iterator[str]:
    """Yield text lines; a line that is not UTF-8 is replaced by an empty line and reported."""
    for number, chunk in enumerate(raw, start=1):
        if number == 1 and chunk.startswith(b"\xef\xbb\xbf"):
            chunk = chunk[3:]  # the byte-order mark spreadsheet programs write
        try:
            yield chunk.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                RowProblem(
                    number,
                    f"not UTF-8 (byte {chunk[error.start]:#04x} at column {error.start + 1}); "
                    "row skipped — save the file as UTF-8 and import again",
                )
            )
            yield "\n"


def read_rows(
    source: str | Path | IO[bytes],
    *,
    required: Iterable[str],
    aliases: dict[str, str] | None = None,
    problems: list[RowProblem],
) -> Iterator[CsvRow]:
    """Stream the rows of a CSV file as dicts keyed by lower-case header names.

    `aliases` maps another header to ours (Ghost 4 wrote `products` where 5 writes `tiers`).
    Problems with single rows go to `problems`; a file that cannot be read at all raises BadExport.
    """
    if isinstance(source, (str, Path)):
        with open(source, "rb") as raw:
            yield from read_rows(raw, required=required, aliases=aliases, problems=problems)
        return
    lines = _decoded_lines(source, problems)
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise BadExport(1, "the file is empty") from None
    except csv.Error as error:
        raise BadExport(1, f"the header row cannot be read ({error})") from None
    names = [(aliases or {}).get(h.strip().lower(), h.strip().lower()) for h in header]
    missing = [name for name in required if name not in names]
    if missing:
        raise BadExport(
            1,
            f"missing column(s): {', '.join(missing)} (the header has: {', '.join(h for h in names if h)})",
        )
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(RowProblem(start, f"malformed row ({error}); row skipped"))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not cells or all(not c.strip() for c in cells):
            continue  # a blank line (or a line replaced after a decoding problem)
        if len(cells) != len(names):
            problems.append(
                RowProblem(line, f"{len(cells)} cells where the header has {len(names)}; row skipped")
            )
            continue
        yield CsvRow(line, dict(zip(names, (c.strip() for c in cells), strict=True)))


def open_text(data: bytes) -> IO[bytes]:
    """A file-like object over bytes (tests and uploads)."""
    return io.BytesIO(data)
