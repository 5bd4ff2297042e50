"""Where the body is cut for a reader without access — one rule for the web page and the API."""

from __future__ import annotations


def teaser_length(*, total_blocks: int, configured: int) -> int:
    """How many body blocks a reader without access receives.

    At most the configured teaser length, and never more than half the story: a short article
    would otherwise fit entirely inside a fixed-length teaser and leak whole.
    """
    return max(min(configured, total_blocks // 2), 0)
