"""Error shapes, limits, the documentation page, and what is deliberately not there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from masthead.api.errors import CODES
from tests.api.conftest import bearer
from tests.api.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_a_body_over_64_kb_is_refused_with_413(api: Client) -> None:
    big = json.dumps({"email": "a@example.com", "password": "x" * (65 * 1024)})

    response = api.post("/api/v1/auth/token", big, content_type="application/json")

    assert_error(response, 413, "payload_too_large")


def test_a_body_just_under_the_limit_is_read(api: Client) -> None:
    body = json.dumps({"email": "a@example.com", "password": "x" * 2000, "pad": "y" * (60 * 1024)})

    response = api.post("/api/v1/auth/token", body, content_type="application/json")

    assert_error(response, 422, "invalid_request")  # the password is too long; the size was fine


def test_malformed_json_is_a_400(api: Client) -> None:
    response = api.post("/api/v1/auth/token", "{not json", content_type="application/json")

    assert_error(response, 400, "bad_request")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"email": "not-an-address", "password": "x"},
        {"email": "a@example.com"},
        {"email": 5, "password": []},
    ],
)
def test_invalid_bodies_are_422_with_a_readable_message(api: Client, body: dict[str, Any]) -> None:
    response = api.post("/api/v1/auth/token", body, content_type="application/json")

    assert_error(response, 422, "invalid_request")


def test_unknown_query_parameters_are_ignored(api: Client, articles: list[Any]) -> None:
    plain = api.get("/api/v1/articles")
    extra = api.get("/api/v1/articles", {"sort": "oldest", "utm_source": "x", "secton": "business"})

    assert extra.status_code == 200
    assert extra.json() == plain.json() and extra["ETag"] == plain["ETag"]


def test_wrong_methods_get_405_json(api: Client) -> None:
    response = api.put("/api/v1/sections")

    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/sections/", "/api/v1/articles/1/comments"])
def test_unknown_api_paths_are_json_404s(api: Client, path: str) -> None:
    assert_error(api.get(path), 404, "not_found")


def test_every_error_code_has_one_status() -> None:
    assert all(400 <= status < 600 for status in CODES.values())


def test_wagtails_own_api_is_not_mounted(api: Client, pub: Any) -> None:
    assert not any(app.startswith("wagtail.api") for app in settings.INSTALLED_APPS)
    for path in ("/api/v2/pages/", "/api/v2/images/", "/api/v2/"):
        response = api.get(path)
        assert response.status_code == 404
        assert b"CANARY" not in response.content


def test_the_openapi_schema_describes_every_endpoint(api: Client) -> None:
    schema = api.get("/api/v1/openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/auth/token",
        "/api/v1/auth/code/request",
        "/api/v1/auth/code/verify",
        "/api/v1/auth/device",
        "/api/v1/sections",
        "/api/v1/topics",
        "/api/v1/articles",
        "/api/v1/articles/{article_id}",
        "/api/v1/search",
        "/api/v1/me",
        "/api/v1/me/devices",
        "/api/v1/me/devices/{device_id}",
        "/api/v1/offers",
    }
    assert schema["components"]["securitySchemes"]["AppToken"] == {"type": "http", "scheme": "bearer"}
    detail = schema["paths"]["/api/v1/articles/{article_id}"]["get"]["responses"]
    assert {"200", "401", "404", "503"} <= set(detail)


def test_the_docs_page_loads_nothing_from_other_sites(api: Client) -> None:
    response = api.get("/api/v1/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert api.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_errors_are_never_cached(api: Client, pub: Any) -> None:
    response = api.get("/api/v1/articles", {"section": "nope"})

    assert response["Cache-Control"] == "private, no-store"


def test_a_device_token_on_a_public_list_changes_nothing(
    api: Client, articles: list[Any], device_token: str
) -> None:
    anonymous = api.get("/api/v1/articles")
    with_token = api.get("/api/v1/articles", **bearer(device_token))

    assert with_token.content == anonymous.content
    assert with_token["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/api/v1/auth/token", {"email": "a\x00@example.com", "password": "x"}),
        ("post", "/api/v1/auth/code/verify", {"email": "a@example.com", "code": "12\x0034"}),
        ("post", "/api/v1/auth/device", {"device_name": "pad\x00"}),
        ("get", "/api/v1/search", {"q": "harbour\x00"}),
        ("get", "/api/v1/articles", {"section": "poli\x00tics"}),
    ],
)
def test_nul_characters_are_refused_not_a_server_error(
    api: Client, pub: Any, method: str, path: str, data: Any
) -> None:
    if method == "post":
        response = api.post(path, data, content_type="application/json")
    else:
        response = api.get(path, data)

    assert_error(response, 422, "invalid_request")
