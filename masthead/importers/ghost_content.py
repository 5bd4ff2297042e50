"""Ghost bodies to HTML: Lexical (Ghost 5) and Mobiledoc (Ghost 1–4), for when an export has no html.

Only what a story needs is rendered: text with bold/italic/links, headings, lists, quotes,
pictures with captions, galleries, rules, embeds and HTML cards; a card not known here becomes a
note the caller reports. The HTML is then mapped onto blocks like any other source's.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

BOLD, ITALIC = 1, 2


def _attr(value: Any) -> str:
    return escape(str(value or ""), quote=True)


# Lexical -------------------------------------------------------------------------------------
def _lexical_inline(nodes: list[dict[str, Any]]) -> str:
    out = []
    for node in nodes:
        kind = node.get("type")
        if kind in ("text", "extended-text"):
            text = escape(node.get("text", ""))
            fmt = int(node.get("format") or 0)
            if fmt & ITALIC:
                text = f"<em>{text}</em>"
            if fmt & BOLD:
                text = f"<strong>{text}</strong>"
            out.append(text)
        elif kind == "linebreak":
            out.append("<br>")
        elif kind == "link":
            out.append(f'<a href="{_attr(node.get("url"))}">{_lexical_inline(node.get("children", []))}</a>')
        else:
            out.append(_lexical_inline(node.get("children", [])))
    return "".join(out)


def _figure(src: str, caption: str = "", alt: str = "") -> str:
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure><img src="{_attr(src)}" alt="{_attr(alt)}">{cap}</figure>'


def _lexical_node(node: dict[str, Any], notes: list[str]) -> str:
    kind = node.get("type")
    children = node.get("children", [])
    if kind in ("paragraph", "extended-paragraph"):
        inner = _lexical_inline(children)
        return f"<p>{inner}</p>" if inner.strip() else ""
    if kind in ("heading", "extended-heading"):
        tag = node.get("tag") or "h2"
        return f"<{tag}>{_lexical_inline(children)}</{tag}>"
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" else "ul"
        items = "".join(f"<li>{_lexical_inline(item.get('children', []))}</li>" for item in children)
        return f"<{tag}>{items}</{tag}>"
    if kind in ("quote", "extended-quote", "aside"):
        return f"<blockquote><p>{_lexical_inline(children)}</p></blockquote>"
    if kind == "image":
        return _figure(node.get("src", ""), node.get("caption", ""), node.get("alt", ""))
    if kind == "gallery":
        return (
            "<figure>"
            + "".join(_figure(i.get("src", ""), "", i.get("alt", "")) for i in node.get("images", []))
            + (
                f"<figcaption>{node.get('caption', '')}</figcaption></figure>"
                if node.get("caption")
                else "</figure>"
            )
        )
    if kind == "horizontalrule":
        return "<hr>"
    if kind in ("embed", "bookmark", "video", "audio"):
        url = node.get("url") or node.get("src") or ""
        return f'<iframe src="{_attr(url)}"></iframe>' if url else ""
    if kind == "html":
        return node.get("html", "")
    if kind == "markdown":
        notes.append("a Markdown card is kept as plain text")
        return f"<p>{escape(node.get('markdown', ''))}</p>"
    if kind == "paywall":
        return ""
    notes.append(f"the Ghost card {kind!r} is kept as text")
    inner = _lexical_inline(children)
    return f"<p>{inner}</p>" if inner.strip() else ""


def lexical_to_html(raw: str, notes: list[str]) -> str:
    doc = json.loads(raw)
    return "".join(_lexical_node(node, notes) for node in doc.get("root", {}).get("children", []))


# Mobiledoc -----------------------------------------------------------------------------------
def _mobiledoc_markers(markers: list[Any], markups: list[Any], atoms: list[Any]) -> str:
    out, open_tags = [], []
    for marker in markers:
        kind, opens, closes, value = marker
        for index in opens:
            tag, attrs = (markups[index] + [[]])[:2]
            pairs = dict(zip(attrs[::2], attrs[1::2], strict=False)) if attrs else {}
            attr = f' href="{_attr(pairs.get("href"))}"' if tag == "a" else ""
            out.append(f"<{tag}{attr}>")
            open_tags.append(tag)
        if kind == 0:
            out.append(escape(value))
        else:  # an atom (e.g. a soft return)
            name = atoms[value][0] if value < len(atoms) else ""
            out.append(
                "<br>"
                if name == "soft-return"
                else escape(str(atoms[value][1]) if value < len(atoms) else "")
            )
        for _ in range(closes):
            out.append(f"</{open_tags.pop()}>")
    out.extend(f"</{tag}>" for tag in reversed(open_tags))
    return "".join(out)


def _mobiledoc_card(name: str, payload: dict[str, Any], notes: list[str]) -> str:
    if name == "image":
        return _figure(payload.get("src", ""), payload.get("caption", ""), payload.get("alt", ""))
    if name == "gallery":
        return (
            "<figure>" + "".join(_figure(i.get("src", "")) for i in payload.get("images", [])) + "</figure>"
        )
    if name == "hr":
        return "<hr>"
    if name == "html":
        return payload.get("html", "")
    if name in ("embed", "bookmark"):
        url = payload.get("url", "")
        return f'<iframe src="{_attr(url)}"></iframe>' if url else ""
    if name in ("markdown", "card-markdown"):
        notes.append("a Markdown card is kept as plain text")
        return f"<p>{escape(payload.get('markdown', ''))}</p>"
    if name == "paywall":
        return ""
    notes.append(f"the Ghost card {name!r} was left out")
    return ""


def mobiledoc_to_html(raw: str, notes: list[str]) -> str:
    doc = json.loads(raw)
    markups, atoms, cards = doc.get("markups", []), doc.get("atoms", []), doc.get("cards", [])
    out = []
    for section in doc.get("sections", []):
        kind = section[0]
        if kind == 1:
            tag = section[1].lower()
            tag = {"pull-quote": "blockquote", "aside": "blockquote"}.get(tag, tag)
            inner = _mobiledoc_markers(section[2], markups, atoms)
            out.append(f"<{tag}><p>{inner}</p></{tag}>" if tag == "blockquote" else f"<{tag}>{inner}</{tag}>")
        elif kind == 3:
            tag = section[1].lower()
            items = "".join(f"<li>{_mobiledoc_markers(item, markups, atoms)}</li>" for item in section[2])
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == 10:
            name, payload = cards[section[1]]
            out.append(_mobiledoc_card(name, payload, notes))
        elif kind == 2:
            out.append(_figure(section[1]))
    return "".join(out)
