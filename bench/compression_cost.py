"""What compressing one page costs, measured apart from the server: bytes and CPU milliseconds.

The wrk scenarios compare the same server with and without `Accept-Encoding`, but on a shared
machine a few per cent is inside the noise of one run. Timing the compression of the very bytes
the server sent (brotli and gzip at the levels `masthead.core.compression` uses) gives the cost
per request directly. Set against the server CPU a plain response costs (measured by the
harness), it is the share of a request's CPU compression takes whenever the compressed reply is
not already kept (masthead.core.compression.CompressedReplies).
"""

from __future__ import annotations

import gzip
import statistics
import time
from typing import Any


def levels() -> tuple[int, int]:
    """The brotli quality and gzip level the application uses."""
    from masthead.core.compression import BROTLI_QUALITY, GZIP_LEVEL

    return BROTLI_QUALITY, GZIP_LEVEL


def _median_ms(work: Any, repeat: int) -> float:
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        timings.append((time.process_time() - started) * 1000)
    return statistics.median(timings)


def measure_page(body: bytes, *, repeat: int = 200) -> dict[str, Any]:
    """Plain, brotli and gzip sizes of one reply and the median CPU time to compress it."""
    import brotli

    quality, level = levels()
    br = brotli.compress(body, quality=quality)
    gz = gzip.compress(body, compresslevel=level, mtime=0)
    return {
        "plain_bytes": len(body),
        "br_bytes": len(br),
        "gzip_bytes": len(gz),
        "br_quality": quality,
        "gzip_level": level,
        "br_ms": round(_median_ms(lambda: brotli.compress(body, quality=quality), repeat), 3),
        "gzip_ms": round(_median_ms(lambda: gzip.compress(body, compresslevel=level, mtime=0), repeat), 3),
    }


def share_of_request(compress_ms: float, plain_cpu_ms: float | None) -> float | None:
    """The share of a compressed response's server CPU that compressing afresh would take, given
    the server CPU one plain response of the page costs (measured per run by the harness). It is
    the throughput lost to compression when the CPU is the limit and nothing is kept."""
    if not plain_cpu_ms or plain_cpu_ms <= 0:
        return None
    return round(compress_ms / (plain_cpu_ms + compress_ms), 4)
