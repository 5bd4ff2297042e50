"""Mark every outbound link in a sponsored article's body as rel="sponsored".

Search engines require paid links to say so; editors should not have to remember it.
"""

from __future__ import annotations

import re

from django.utils.safestring import SafeString, mark_safe

_ANCHOR = re.compile(r"<a\b([^>]*)>", re.IGNORECASE)
_HREF = re.compile(r"""\bhref\s*=\s*["']\s*(https?:)?//""", re.IGNORECASE)
_REL = re.compile(r"""\brel\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def _mark(match: re.Match[str]) -> str:
    attrs = match.group(1)
    if not _HREF.search(attrs):
        return match.group(0)  # internal links are ours, not the sponsor's
    rel = _REL.search(attrs)
    if rel is None:
        return f'<a{attrs} rel="sponsored noopener">'
    tokens = rel.group(2).split()
    if "sponsored" in tokens:
        return match.group(0)
    new_rel = f'rel="{" ".join([*tokens, "sponsored"])}"'
    return "<a" + attrs[: rel.start()] + new_rel + attrs[rel.end() :] + ">"


def mark_sponsored_links(html: str) -> SafeString:
    # Input is already-rendered, escaped block HTML; we only add an attribute to <a> tags.
    return mark_safe(_ANCHOR.sub(_mark, str(html)))  # noqa: S308
