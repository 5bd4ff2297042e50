"""Assertions shared by the API tests."""

from __future__ import annotations

from typing import Any

from tests.builders import canary_for


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message"}
    assert body["code"] == code
    assert body["message"]
    return body


def assert_no_canary(response: Any, articles: list[Any]) -> None:
    text = response.content.decode()
    for article in articles:
        assert canary_for(article.slug) not in text
        assert "CANARY" not in text
