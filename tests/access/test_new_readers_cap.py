"""One address may start only so many fresh anonymous meters a day (Settings → Meter)."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from masthead.access.identity import METER_COOKIE
from masthead.access.models import MeterSettings
from masthead.access.new_readers import address_group, day_window
from masthead.access.paywall_config import paywall_config
from tests.access.conftest import has_canary, paywall_state, set_meter
from tests.access.stores import REDIS_TEST_URL, needs_redis


@pytest.fixture(params=["database", pytest.param("redis", marks=needs_redis)])
def store(request: Any, settings: Any) -> Iterator[str]:
    settings.MASTHEAD_METER_STORE = request.param
    settings.MASTHEAD_METER_REDIS_URL = REDIS_TEST_URL
    if request.param == "redis":
        import redis

        client = redis.Redis.from_url(REDIS_TEST_URL)
        # Counts of new readers live until the day ends: an earlier run's must not count here.
        stale = list(client.scan_iter(match="masthead:meter:d*", count=1000))
        if stale:
            client.delete(*stale)
    yield request.param


def fresh_ipv4() -> str:
    # Documentation ranges, a random address each run: a Redis count left by an earlier run of
    # the same test must not count here.
    return (
        f"198.51.100.{secrets.randbelow(254) + 1}"
        if secrets.randbelow(2)
        else f"203.0.113.{secrets.randbelow(254) + 1}"
    )


def fresh_ipv6_64() -> str:
    """A random /64 in 2001:db8::/32, as its first four groups ("2001:db8:a:b")."""
    return f"2001:db8:{secrets.randbelow(0xFFFF):x}:{secrets.randbelow(0xFFFF):x}"


def new_reader(address: str, article: Any) -> Any:
    """A browser with no meter cookie opening a metered article."""
    return Client(REMOTE_ADDR=address).get(article.url)


def got_whole_article(response: Any, article: Any) -> bool:
    return has_canary(response, article)


def walled(response: Any, article: Any) -> bool:
    return (
        paywall_state(response) == "registration-wall"
        and not has_canary(response, article)
        and METER_COOKIE not in response.cookies
    )


def test_past_the_cap_a_cookie_less_reader_meets_the_registration_wall(
    store: str, metered: list[Any]
) -> None:
    set_meter(None, new_readers_per_address=3)
    address = fresh_ipv4()

    first_three = [new_reader(address, metered[0]) for _ in range(3)]
    fourth = new_reader(address, metered[0])

    assert all(got_whole_article(r, metered[0]) for r in first_three)
    assert walled(fourth, metered[0])
    # Another address, even the next one, is counted apart (IPv4 per address).
    neighbour = str(ipaddress.ip_address(address) + 1)
    assert got_whole_article(new_reader(neighbour, metered[0]), metered[0])


def test_a_reader_with_a_valid_cookie_is_unaffected_and_an_invalid_one_is_new(
    store: str, metered: list[Any]
) -> None:
    set_meter(None, new_readers_per_address=1)
    address = fresh_ipv4()
    returning = Client(REMOTE_ADDR=address)
    assert got_whole_article(returning.get(metered[0].url), metered[0])

    # The cap is used: the returning reader keeps their allowance, with no further count.
    assert got_whole_article(returning.get(metered[1].url), metered[1])
    assert got_whole_article(returning.get(metered[2].url), metered[2])
    tampered = Client(REMOTE_ADDR=address)
    tampered.cookies[METER_COOKIE] = "1.not-a-signed-value"
    assert walled(tampered.get(metered[0].url), metered[0])
    assert walled(new_reader(address, metered[3]), metered[3])


def test_ipv6_readers_are_counted_per_64(store: str, metered: list[Any]) -> None:
    set_meter(None, new_readers_per_address=2)
    prefix = fresh_ipv6_64()

    # Three addresses in one /64: one household, one phone line.
    responses = [new_reader(f"{prefix}{suffix}", metered[0]) for suffix in ("::1", ":2:3:4:5", ":ffff::9")]

    assert [got_whole_article(r, metered[0]) for r in responses] == [True, True, False]
    assert walled(responses[2], metered[0])
    assert got_whole_article(new_reader(f"{fresh_ipv6_64()}::1", metered[0]), metered[0])


def test_the_cap_comes_from_the_meter_settings_and_zero_turns_it_off(store: str, metered: list[Any]) -> None:
    address = fresh_ipv4()
    set_meter(None, new_readers_per_address=0)
    assert all(got_whole_article(new_reader(address, metered[0]), metered[0]) for _ in range(6))

    set_meter(None, new_readers_per_address=2)
    other = fresh_ipv6_64() + "::7"
    assert [got_whole_article(new_reader(other, metered[0]), metered[0]) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_the_default_is_generous(store: str, metered: list[Any]) -> None:
    assert MeterSettings().new_readers_per_address == 50
    address = fresh_ipv4()
    assert all(got_whole_article(new_reader(address, metered[0]), metered[0]) for _ in range(50))
    assert walled(new_reader(address, metered[0]), metered[0])


def test_exempt_networks_are_never_capped(store: str, metered: list[Any], settings: Any) -> None:
    set_meter(None, new_readers_per_address=1, new_reader_exempt_networks="198.18.0.0/15  # the office\n")
    assert all(got_whole_article(new_reader("198.19.4.5", metered[0]), metered[0]) for _ in range(3))

    # Verified-crawler networks are exempt too (their readers are let through anyway), and so
    # are the machine itself and private networks: a reverse proxy would otherwise put every
    # reader on one count.
    settings.MASTHEAD_VERIFIED_CRAWLER_NETWORKS = ["192.0.2.0/24"]
    assert all(got_whole_article(new_reader("192.0.2.8", metered[0]), metered[0]) for _ in range(3))
    assert all(got_whole_article(new_reader("127.0.0.1", metered[0]), metered[0]) for _ in range(3))
    assert all(got_whole_article(new_reader("::1", metered[0]), metered[0]) for _ in range(3))
    assert all(got_whole_article(new_reader("10.0.0.9", metered[0]), metered[0]) for _ in range(3))
    outside = fresh_ipv4()
    assert [got_whole_article(new_reader(outside, metered[0]), metered[0]) for _ in range(2)] == [True, False]


def test_only_a_counted_read_starts_a_new_reader(store: str, pub: Any, metered: list[Any]) -> None:
    from tests.builders import make_article

    set_meter(None, new_readers_per_address=1)
    address = fresh_ipv4()
    free = make_article(pub, access="free")
    # Front page, a free article, a HEAD request: nobody new is started, so nothing is used up.
    Client(REMOTE_ADDR=address).get("/")
    assert has_canary(Client(REMOTE_ADDR=address).get(free.url), free)
    Client(REMOTE_ADDR=address).head(metered[0].url)
    assert got_whole_article(new_reader(address, metered[0]), metered[0])
    assert walled(new_reader(address, metered[1]), metered[1])


def test_a_new_day_in_the_publication_zone_starts_a_new_count(store: str, metered: list[Any]) -> None:
    set_meter(None, new_readers_per_address=1)
    address = fresh_ipv4()
    zone = paywall_config(request=None).zone
    local = timezone.now().astimezone(zone)
    # The last minute of this month, local time, and the first minute of the next (a new day and
    # a new month at once).
    next_month = datetime(local.year + local.month // 12, local.month % 12 + 1, 1, tzinfo=zone)
    last_minute = next_month - timedelta(minutes=1)

    with time_machine.travel(last_minute, tick=False):
        assert got_whole_article(new_reader(address, metered[0]), metered[0])
        assert walled(new_reader(address, metered[0]), metered[0])
    with time_machine.travel(next_month + timedelta(minutes=1), tick=False):
        assert got_whole_article(new_reader(address, metered[0]), metered[0])
        assert walled(new_reader(address, metered[0]), metered[0])
    with time_machine.travel(next_month + timedelta(hours=23, minutes=58), tick=False):
        assert walled(new_reader(address, metered[0]), metered[0])


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("203.0.113.7", "203.0.113.7/32"),
        ("::ffff:203.0.113.7", "203.0.113.7/32"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("", None),
        ("unix:/run/gunicorn.sock", None),
    ],
)
def test_addresses_are_grouped_the_way_networks_are_handed_out(address: str, group: str | None) -> None:
    found = address_group(address)
    assert (found.with_prefixlen if found else None) == group


def test_the_day_follows_the_publication_zone() -> None:
    from zoneinfo import ZoneInfo

    tokyo = ZoneInfo("Asia/Tokyo")
    now = timezone.now()
    window = day_window(now=now, zone=tokyo)
    assert window.starts_at <= now < window.ends_at
    assert window.starts_at.astimezone(tokyo).hour == 0
    assert window.ends_at - window.starts_at == timedelta(days=1)


def test_a_mistyped_exempt_network_is_refused_with_the_line(pub: Any) -> None:
    meter = MeterSettings(new_reader_exempt_networks="203.0.113.0/24\nthe office\n")
    with pytest.raises(ValidationError) as refused:
        meter.clean()
    assert "'the office' is not a network" in str(refused.value)
