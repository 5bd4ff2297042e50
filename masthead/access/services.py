"""The one path for an article request: facts -> decide() -> record -> cut.

PLACEHOLDER until the paywall issue lands: every reader is granted. Replaced by issue 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class ArticleAccess:
    granted: bool
    teaser_blocks: int
    prompt: Any = None


def article_access(*, request: HttpRequest, article: Any) -> ArticleAccess:
    return ArticleAccess(granted=True, teaser_blocks=3)


def finalize_article_response(*, response: HttpResponse, verdict: ArticleAccess) -> HttpResponse:
    return response
