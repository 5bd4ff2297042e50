"""Other publishing systems measured side by side with Masthead by `make bench`, only when asked:
`BENCH_PEERS=ghost make bench`. Nothing here installs or starts anything at import time."""

from __future__ import annotations

import os
from collections.abc import Mapping

KNOWN = ("ghost",)


def requested(environ: Mapping[str, str] | None = None) -> list[str]:
    """The peers BENCH_PEERS names (comma- or space-separated), known ones only, in order."""
    raw = (environ if environ is not None else os.environ).get("BENCH_PEERS", "")
    names = [name.strip().lower() for name in raw.replace(",", " ").split()]
    return [name for name in KNOWN if name in names]


def unknown(environ: Mapping[str, str] | None = None) -> list[str]:
    raw = (environ if environ is not None else os.environ).get("BENCH_PEERS", "")
    return [name for name in raw.replace(",", " ").split() if name.strip().lower() not in KNOWN]
