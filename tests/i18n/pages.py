"""What a reader of each language should and should not see in the page frame."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

# Interface words a Japanese page must not show, in its text or its labels.
ENGLISH_INTERFACE = ("Log in", "Search", "Share this article", "Print", "Menu")
# Attributes a reader sees or hears (placeholders, screen-reader labels, tooltips).
_READER_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")


def html_of(response: Any, status: int = 200) -> str:
    assert response.status_code == status, response.status_code
    return response.content.decode()


def page_language(html: str) -> str:
    return BeautifulSoup(html, "html.parser").html["lang"]


def reader_facing(html: str) -> str:
    """Text and labels as a reader or a screen reader meets them; not scripts or JSON-LD."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style"]):
        hidden.decompose()
    labels = [tag[name] for tag in soup.find_all(True) for name in _READER_ATTRIBUTES if tag.has_attr(name)]
    return " ".join([soup.get_text(" "), *labels])


def english_words_in(html: str, words: tuple[str, ...] = ENGLISH_INTERFACE) -> list[str]:
    text = reader_facing(html)
    return [word for word in words if word in text]
