"""TRACE and TRACK are refused with 405 at every address, and the refusal repeats nothing of the
request: no cookie, no Authorization header, no custom header comes back in the body."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from masthead.api.tokens import issue_user_token
from tests.builders import canary_for, make_article, make_publication, make_reader

pytestmark = pytest.mark.django_db

SECRETS = {
    "HTTP_COOKIE": "sessionid=session-secret-1234",
    "HTTP_AUTHORIZATION": "Bearer token-secret-5678",
    "HTTP_X_ECHO_ME": "header-secret-9012",
}


@pytest.fixture
def article(db: Any) -> Any:
    return make_article(make_publication())


def addresses(article: Any) -> list[str]:
    return [
        "/",
        article.url,
        article.get_parent().url,
        "/robots.txt",  # a plain view that answered TRACE with 200
        "/accounts/login/",
        f"/api/v1/articles/{article.pk}",
        "/api/v1/auth/device",
        "/api/v1/openapi.json",
        "/no-such-page/",
    ]


@pytest.mark.parametrize("method", ["TRACE", "TRACK"])
def test_trace_and_track_are_refused_everywhere_without_echoing_the_request(
    article: Any, method: str
) -> None:
    replies = {path: Client().generic(method, path, **SECRETS) for path in addresses(article)}

    assert {path: r.status_code for path, r in replies.items()} == {path: 405 for path in replies}
    for path, response in replies.items():
        assert "GET" in response["Allow"] and method not in response["Allow"], path
        assert response["Cache-Control"] == "private, no-store", path
        assert "Content-Security-Policy" in response, path
        body = response.content.decode().lower()
        for secret in ("session-secret-1234", "token-secret-5678", "header-secret-9012", "x-echo-me"):
            assert secret not in body, (path, secret)
        assert canary_for(article.slug).lower() not in body


def test_the_apps_get_the_apis_error_shape(article: Any) -> None:
    response = Client().generic("TRACE", f"/api/v1/articles/{article.pk}", **SECRETS)

    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "code": "method_not_allowed",
        "message": "This endpoint does not accept that method.",
    }


def test_a_signed_in_app_is_refused_too_and_the_ordinary_methods_still_work(article: Any) -> None:
    reader = make_reader("reader@example.com", "a long passphrase 42")
    token = issue_user_token(user=reader, device_name="Phone").token
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    assert Client().generic("TRACE", "/api/v1/me", **auth).status_code == 405
    assert Client().get("/api/v1/me", **auth).status_code == 200
    assert Client().get(article.url).status_code == 200
    assert Client().head("/").status_code == 200
    assert Client().get("/robots.txt").status_code == 200
