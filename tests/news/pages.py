"""Helpers for reading rendered reader pages the way a reader (or a scraper) sees them."""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup


def soup_of(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    copy = BeautifulSoup(str(soup), "html.parser")
    for hidden in copy(["script", "style", "template"]):
        hidden.decompose()
    return " ".join(copy.get_text(" ").split())


def json_ld(soup: BeautifulSoup) -> list[dict]:
    return [json.loads(tag.string) for tag in soup.find_all("script", type="application/ld+json")]


def assert_clean_markup(html: str) -> None:
    """What every reader page promises: no leftovers, no icon titles, nothing the CSP would block."""
    soup = BeautifulSoup(html, "html.parser")
    text = visible_text(soup)
    assert "{{" not in text and "{%" not in text and "%}" not in text
    for svg in soup.find_all("svg"):
        assert svg.get("aria-hidden") == "true"
        assert svg.find("title") is None
    for script in soup.find_all("script"):
        assert script.get("src") or script.get("type") == "application/ld+json", script
    assert not soup.find_all(style=True)
    assert not soup.find_all("style")
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers are blocked by the CSP"
