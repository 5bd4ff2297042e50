"""Turn a source's HTML (classic editor, Gutenberg block comments, Ghost cards) into article blocks.

The result is a list of plain block dicts in the shape of `masthead.news.blocks.ArticleBodyBlock`
(paragraph, heading, image, pull_quote); images carry their source URL until the media step
resolves them. Masthead has no gallery, list, table, embed or separator block: a gallery becomes
one image block per picture, a list stays a list inside a paragraph, an embed becomes a link (no
third-party embeds, by design), a separator is left out; anything else is kept as sanitised HTML in
a paragraph. Every such choice is a warning, so nothing is dropped silently.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import nh3
from lxml import etree
from lxml import html as lxml_html

# What a paragraph may keep: the rich text features an editor has, plus what renders harmlessly.
PARAGRAPH_TAGS = {"p", "a", "b", "strong", "i", "em", "ul", "ol", "li", "sup", "sub", "br"}
KEPT_HTML_TAGS = PARAGRAPH_TAGS | {
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "caption",
    "code",
    "pre",
}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

BLOCK_COMMENT = re.compile(r"<!--\s+(/?)wp:([a-z0-9/-]+)(\s+\{.*?\})?\s*(/?)-->", re.S)
BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "img",
    "table",
    "hr",
    "div",
    "pre",
    "iframe",
    "section",
    "aside",
    "dl",
    "address",
    "video",
    "audio",
    "form",
}


@dataclass
class Body:
    blocks: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings for the report, without the source id

    def add(self, kind: str, value: Any) -> None:
        self.blocks.append({"type": kind, "value": value})


def clean_inline(markup: str, *, tags: set[str] = PARAGRAPH_TAGS) -> str:
    return nh3.clean(markup, tags=tags, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES, link_rel=None).strip()


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def _inner_html(element: Any) -> str:
    parts = [element.text or ""]
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in element]
    return "".join(parts)


def _outer_html(element: Any) -> str:
    return etree.tostring(element, encoding="unicode", method="html", with_tail=False)


def _fragments(markup: str) -> list[Any]:
    """Top-level elements of an HTML fragment; loose text between them becomes <p> elements."""
    if not markup.strip():
        return []
    wrapper = lxml_html.fragment_fromstring(markup, create_parent="div")
    out: list[Any] = []
    loose: list[str] = []

    def flush() -> None:
        text = "".join(loose)
        loose.clear()
        # The classic editor stores paragraphs as text separated by blank lines (wpautop).
        for chunk in re.split(r"\n\s*\n", text):
            if chunk.strip():
                p = lxml_html.fragment_fromstring(
                    "<p>" + chunk.strip().replace("\n", "<br>") + "</p>", create_parent=False
                )
                out.append(p)

    loose.append(wrapper.text or "")
    for child in wrapper:
        if not isinstance(child.tag, str):  # a comment left in the HTML
            loose.append(child.tail or "")
            continue
        if child.tag in BLOCK_TAGS:
            flush()
            tail, child.tail = child.tail, None
            out.append(child)
            loose.append(tail or "")
        else:
            loose.append(etree.tostring(child, encoding="unicode", method="html"))
    flush()
    return out


def _image_value(img: Any, caption: str = "") -> dict[str, Any]:
    src = img.get("src") or ""
    # WordPress and Ghost put the full-size file in srcset or a link around the picture.
    parent = img.getparent()
    if (
        parent is not None
        and parent.tag == "a"
        and re.search(r"\.(jpe?g|png|gif|webp)$", parent.get("href", ""), re.I)
    ):
        src = parent.get("href")
    return {"src": src, "alt": img.get("alt") or "", "caption": caption[:300], "credit": ""}


def _figure(element: Any, body: Body) -> None:
    caption_el = element.find(".//figcaption")
    caption = _text(caption_el) if caption_el is not None else ""
    if caption_el is not None:
        caption_el.drop_tree()
    images = element.findall(".//img")
    quote = element.find(".//blockquote")
    if quote is not None:
        _quote(quote, body, attribution=caption)
        return
    table = element.find(".//table")
    if table is not None:
        _kept(table, body, "a table is kept as HTML in a paragraph (the editor cannot edit its cells)")
        return
    if not images:
        _kept(element, body, "an unknown figure is kept as HTML in a paragraph")
        return
    for i, img in enumerate(images):
        body.add("image", _image_value(img, caption if i == len(images) - 1 else ""))
    if len(images) > 1:
        body.notes.append(f"a gallery of {len(images)} pictures became {len(images)} image blocks")


def _quote(element: Any, body: Body, attribution: str = "") -> None:
    cite = element.find(".//cite")
    if cite is not None:
        attribution = attribution or _text(cite)
        cite.drop_tree()
    text = "\n".join(_text(p) for p in element.findall(".//p")) or _text(element)
    if text:
        body.add("pull_quote", {"quote": text, "attribution": attribution[:120]})


def _kept(element: Any, body: Body, note: str) -> None:
    cleaned = clean_inline(_outer_html(element), tags=KEPT_HTML_TAGS)
    if cleaned:
        body.add("paragraph", cleaned if cleaned.startswith("<") else f"<p>{cleaned}</p>")
        body.notes.append(note)
    else:
        body.notes.append(note.replace("is kept as HTML in a paragraph", "had no text and was left out"))


def _element(element: Any, body: Body) -> None:
    tag = element.tag
    if tag == "p":
        if element.find(".//img") is not None and not _text(element):
            for img in element.findall(".//img"):
                body.add("image", _image_value(img))
            return
        for img in element.findall(".//img"):  # a picture inside running text: its own block
            body.add("image", _image_value(img))
            img.drop_tree()
        html = clean_inline(_outer_html(element))
        if _text(element):
            body.add("paragraph", html)
    elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
        if _text(element):
            body.add("heading", _text(element)[:160])
    elif tag in ("ul", "ol"):
        body.add("paragraph", clean_inline(_outer_html(element)))
    elif tag == "blockquote":
        _quote(element, body)
    elif tag == "figure":
        _figure(element, body)
    elif tag == "img":
        body.add("image", _image_value(element))
    elif tag == "hr":
        body.notes.append("a separator was left out (Masthead has no separator block)")
    elif tag == "table":
        _kept(element, body, "a table is kept as HTML in a paragraph (the editor cannot edit its cells)")
    elif tag == "iframe":
        _embed_link(element.get("src", ""), body)
    elif (
        tag == "div" and len(element) and all(isinstance(c.tag, str) and c.tag in BLOCK_TAGS for c in element)
    ):
        for child in element:  # a wrapper (e.g. a Ghost card): its children are the content
            _element(child, body)
    else:
        _kept(element, body, f"<{tag}> is kept as sanitised HTML in a paragraph")


def _embed_link(url: str, body: Body) -> None:
    if url:
        safe = clean_inline(f'<p><a href="{url}">{url}</a></p>')
        body.add("paragraph", safe)
        body.notes.append(f"an embed ({url}) became a link: Masthead shows no third-party embeds")


def classic_html(markup: str, body: Body | None = None) -> Body:
    body = body or Body()
    for element in _fragments(markup):
        _element(element, body)
    return body


def _gutenberg_block(name: str, attrs: dict[str, Any], inner: str, body: Body) -> None:
    name = name.removeprefix("core/")
    if name in ("paragraph", "heading", "list", "quote", "image", "table", "separator"):
        classic_html(inner, body)
    elif name == "pullquote":
        elements = _fragments(inner)
        for element in elements:
            quote = element if element.tag == "blockquote" else element.find(".//blockquote")
            if quote is not None:
                _quote(quote, body)
    elif name == "gallery":
        classic_html(inner, body)  # the figure says how many pictures it held
    elif name == "embed" or name.startswith("core-embed/"):
        url = attrs.get("url") or ""
        if not url:
            found = re.search(r"https?://[^\s<\"]+", inner)
            url = found.group(0) if found else ""
        _embed_link(url, body)
    elif name in ("more", "nextpage", "spacer"):
        return
    elif name in ("columns", "column", "group"):
        gutenberg_html(inner, body)
    else:
        before = len(body.blocks)
        for element in _fragments(inner):
            _kept(element, Body(body.blocks, []), "")
        if len(body.blocks) > before:
            body.notes.append(f"the block wp:{name} is kept as sanitised HTML in a paragraph")
        else:
            body.notes.append(f"the block wp:{name} had no text and was left out")


def gutenberg_html(markup: str, body: Body | None = None) -> Body:
    """Walk the top-level `<!-- wp:name -->…<!-- /wp:name -->` blocks; loose HTML is classic."""
    body = body or Body()
    pos, depth, start, current, attrs = 0, 0, 0, "", {}
    for match in BLOCK_COMMENT.finditer(markup):
        closing, name, raw_attrs, self_closing = match.groups()
        if depth == 0:
            if closing:
                continue
            classic_html(markup[pos : match.start()], body)
            try:
                attrs = json.loads(raw_attrs) if raw_attrs else {}
            except ValueError:
                attrs = {}
            if self_closing:
                _gutenberg_block(name, attrs, "", body)
                pos = match.end()
                continue
            current, start, depth = name, match.end(), 1
        elif closing and name == current:
            depth -= 1
            if depth == 0:
                _gutenberg_block(current, attrs, markup[start : match.start()], body)
                pos = match.end()
        elif not closing and not self_closing and name == current:
            depth += 1
    classic_html(markup[pos:], body)
    return body


def html_to_body(markup: str) -> Body:
    """Blocks for a WordPress/Ghost/Substack body, whichever editor wrote it."""
    markup = markup or ""
    if BLOCK_COMMENT.search(markup):
        return gutenberg_html(markup)
    return classic_html(markup)


def plain_text(markup: str, limit: int) -> str:
    """The first words of some HTML as plain text (a standfirst when the source has none)."""
    if not markup.strip():
        return ""
    text = " ".join(lxml_html.fragment_fromstring(markup, create_parent="div").text_content().split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
