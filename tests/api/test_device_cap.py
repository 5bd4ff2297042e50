"""Anonymous device tokens are new anonymous readers: the same per-address daily cap as the web."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import time_machine
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from masthead.access.models import MeterSettings
from tests.api.conftest import bearer
from tests.api.helpers import assert_error
from tests.builders import canary_for


def cap_new_readers(per_address: int) -> None:
    meter = MeterSettings.for_site(Site.objects.get(is_default_site=True))
    meter.new_readers_per_address = per_address
    meter.save()


def fresh_address() -> str:
    return f"198.51.100.{secrets.randbelow(254) + 1}"


def new_device(address: str) -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/api/v1/auth/device", {"device_name": "Tablet"}, content_type="application/json"
    )


def test_past_the_cap_a_new_device_gets_a_clear_429(pub: Any, articles: list[Any]) -> None:
    cap_new_readers(2)
    address = fresh_address()

    first, second, third = (new_device(address) for _ in range(3))

    assert first.status_code == second.status_code == 201
    body = assert_error(third, 429, "rate_limited")
    assert "new anonymous readers from this network today" in body["message"]
    assert 0 < int(third["Retry-After"]) <= 24 * 3600
    # The devices already issued keep reading; another address is counted apart.
    token = first.json()["token"]
    article = Client().get(f"/api/v1/articles/{articles[0].pk}", **bearer(token))
    assert canary_for(articles[0].slug) in article.content.decode()
    assert new_device(fresh_address().replace("198.51.100", "203.0.113")).status_code == 201


def test_browsers_and_devices_share_one_count(pub: Any, articles: list[Any]) -> None:
    cap_new_readers(2)
    address = fresh_address()
    assert new_device(address).status_code == 201
    browser = Client(REMOTE_ADDR=address).get(articles[0].url)
    assert canary_for(articles[0].slug) in browser.content.decode()

    assert_error(new_device(address), 429, "rate_limited")
    walled = Client(REMOTE_ADDR=address).get(articles[1].url)
    assert canary_for(articles[1].slug) not in walled.content.decode()


def test_the_next_day_a_new_device_is_admitted(pub: Any) -> None:
    cap_new_readers(1)
    address = fresh_address()
    assert new_device(address).status_code == 201
    assert new_device(address).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        assert new_device(address).status_code == 201


def test_verified_crawler_networks_are_exempt(pub: Any, settings: Any) -> None:
    cap_new_readers(1)
    settings.MASTHEAD_VERIFIED_CRAWLER_NETWORKS = ["192.0.2.0/24"]
    assert [new_device("192.0.2.44").status_code for _ in range(3)] == [201, 201, 201]
