"""Only a JSON object is a request body: `[]`, `"x"`, `1` or `null` mint no device token."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from masthead.api.models import ApiToken
from tests.api.helpers import assert_error


def post_json(path: str, raw: str) -> Any:
    return Client(REMOTE_ADDR="198.51.100.20").post(path, raw, content_type="application/json")


@pytest.mark.parametrize("raw", ["[]", '"x"', "1", "null", "true", '[{"device_name": "Tablet"}]'])
def test_a_body_that_is_not_a_json_object_mints_no_device_token(pub: Any, raw: str) -> None:
    before = ApiToken.objects.count()

    response = post_json("/api/v1/auth/device", raw)

    body = assert_error(response, 422, "invalid_request")
    assert "must be a JSON object" in body["message"]
    assert response["Cache-Control"] == "private, no-store"
    assert ApiToken.objects.count() == before


@pytest.mark.parametrize(
    ("raw", "device_name"), [("{}", ""), ('{"device_name": "Kitchen tablet"}', "Kitchen tablet")]
)
def test_a_json_object_still_mints_one_device_token(pub: Any, raw: str, device_name: str) -> None:
    before = ApiToken.objects.count()

    response = post_json("/api/v1/auth/device", raw)

    assert response.status_code == 201, response.content
    issued = response.json()
    assert issued["anonymous"] is True and issued["device"]["device_name"] == device_name
    assert ApiToken.objects.count() == before + 1
    assert ApiToken.objects.get(pk=issued["device"]["id"]).user_id is None


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/v1/auth/token", '["reader@example.com", "correct horse battery staple"]'),
        ("/api/v1/auth/code/request", '"reader@example.com"'),
        ("/api/v1/auth/code/verify", "null"),
    ],
)
def test_every_body_endpoint_wants_a_json_object(reader: Any, path: str, raw: str) -> None:
    before = ApiToken.objects.count()

    response = post_json(path, raw)

    body = assert_error(response, 422, "invalid_request")
    assert "must be a JSON object" in body["message"]
    assert ApiToken.objects.count() == before
    assert mail.outbox == []
