"""Opaque, signed cursors for newest-first article lists.

A cursor names the last article of a page by (first published, id); the next page starts right
after it, so articles published meanwhile never shift or repeat what the app already has.
"""

from __future__ import annotations

from datetime import datetime

from django.core import signing

from masthead.api.errors import ApiError

SALT = "masthead.api.cursor"


def make_cursor(*, published_at: datetime, pk: int) -> str:
    return signing.dumps([published_at.isoformat(), pk], salt=SALT, compress=False)


def read_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        published, pk = signing.loads(cursor, salt=SALT)
        return datetime.fromisoformat(published), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise ApiError(422, "invalid_cursor", "This cursor is not one we issued.") from exc
