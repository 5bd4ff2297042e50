"""The apps API meets an outage with its documented JSON 503, never a 500 or an HTML page."""

from __future__ import annotations

from django.db import OperationalError

from masthead.api import throttle
from masthead.core.redis_cache import CacheUnavailable
from tests.api.conftest import bearer


def test_an_article_request_during_a_database_outage_is_json_503(api, articles, device_token, monkeypatch):
    from masthead.api.routers import content

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(content, "article_detail", database_gone)

    response = api.get(f"/api/v1/articles/{articles[0].pk}", **bearer(device_token))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"] == "5"


def test_a_rate_limit_that_cannot_count_refuses_with_503(api, db, monkeypatch):
    class DownCache:
        def add(self, *args, **kwargs):
            return False

        def incr(self, *args, **kwargs):
            raise CacheUnavailable("down")

    monkeypatch.setattr(throttle, "cache", DownCache())

    response = api.post("/api/v1/auth/device", {"device_name": "Phone"}, content_type="application/json")

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"] == "5"
