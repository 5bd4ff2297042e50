"""Streaming XML that refuses what an export never needs: a DOCTYPE, entities, the network.

An export file comes from outside. A document type declaration is where XML bombs ("billion
laughs") and external entities (reading /etc/passwd, fetching URLs) live, and no WordPress export
has one, so a file with one is refused before parsing; the parser itself also never resolves
entities nor touches the network (defence in depth).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from masthead.importers.errors import BadExport

PROLOG_BYTES = 64 * 1024
_DANGEROUS = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def check_prolog(path: str) -> None:
    with open(path, "rb") as handle:
        head = handle.read(PROLOG_BYTES)
    root = re.search(rb"<(?![?!])", head)
    prolog = head[: root.start()] if root else head
    found = _DANGEROUS.search(prolog)
    if found:
        line = prolog[: found.start()].count(b"\n") + 1
        raise BadExport(line, "the file declares a DOCTYPE or entities, which an export never has: refused")


def iter_elements(path: str, *, tags: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    """Yield (localname, element) for each element whose local name is in `tags`, then free it."""
    check_prolog(path)
    parser_args: dict[str, Any] = {
        "events": ("end",),
        "resolve_entities": False,
        "no_network": True,
        "load_dtd": False,
        "huge_tree": False,
        "remove_comments": False,
    }
    try:
        for _event, element in etree.iterparse(path, **parser_args):
            name = etree.QName(element).localname
            if name in tags:
                yield name, element
                # Free what was read so memory stays flat however long the file is.
                parent = element.getparent()
                element.clear(keep_tail=False)
                if parent is not None:
                    while element.getprevious() is not None:
                        del parent[0]
    except etree.XMLSyntaxError as exc:
        raise BadExport(exc.lineno or 0, exc.msg or str(exc)) from exc
