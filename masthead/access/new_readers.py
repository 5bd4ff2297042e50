"""How many new anonymous readers one connecting address may start in a day.

Dropping the meter cookie starts a fresh anonymous reader with a fresh allowance: the known limit
of every meter. Capping the fresh readers one address may start each day turns "clear cookies,
read three more" from unlimited into bounded, while a whole office behind one address still gets
a generous number (Settings → Meter; 0 turns the cap off).

Addresses are grouped the way networks are handed out: an IPv4 address alone (/32), an IPv6
address by its /64 (one household or phone gets a whole /64, so counting single IPv6 addresses
would count nothing). Only the connecting address counts — never X-Forwarded-For, which the
client writes.

The count lives in the meter store, like a reader's articles: each new reader adds one member to
the address group's set for the day, and the same single atomic step that refuses a read past
the limit refuses the reader past the cap, on the database and on Redis alike. The address group
is kept only as a keyed hash. Only minting a new reader costs this call; returning readers
(a valid cookie, a device token) never do.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from masthead.access.meter import meter_store
from masthead.access.paywall_config import PaywallConfig
from masthead.access.periods import MeterPeriod

IPV6_GROUP_PREFIX = 64
_KEY_SALT = "masthead.access.new-readers"
# A member id per new reader; random, so two readers minted in the same second never collide.
_MEMBER_BITS = 62

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class ExemptNetworkError(ValueError):
    """An exempt network that is not a CIDR: raised with the offending line."""


def address_group(remote_addr: str) -> Network | None:
    """The network a connecting address is counted under, or None when it is not an address
    (a Unix socket, an empty value): such a connection cannot be told apart from any other."""
    try:
        address = ipaddress.ip_address(remote_addr.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # "::ffff:203.0.113.7" is the IPv4 reader it wraps
    if isinstance(address, ipaddress.IPv4Address):
        return ipaddress.IPv4Network(address)
    return ipaddress.IPv6Network((address, IPV6_GROUP_PREFIX), strict=False)


def parse_networks(lines: Iterable[str]) -> tuple[Network, ...]:
    """CIDRs (or single addresses), one per item; blank items and `#` comments are skipped."""
    networks: list[Network] = []
    for line in lines:
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ExemptNetworkError(
                f"{text!r} is not a network such as 203.0.113.0/24 or 2001:db8::/48"
            ) from exc
    return tuple(networks)


# Addresses no reader on the public internet connects from: the machine itself (a reverse proxy
# on this host, `make demo`) and private networks (a proxy or load balancer beside it). Behind a
# proxy every reader would arrive from its address, and one shared count would wall them all.
PROXY_NETWORKS: tuple[Network, ...] = parse_networks(
    ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]
)


def is_exempt(group: Network, networks: Iterable[Network]) -> bool:
    # Overlap, not containment: an exempt network narrower than a /64 (one IPv6 address, ::1)
    # exempts the /64 it is counted under.
    return any(group.version == net.version and group.overlaps(net) for net in (*PROXY_NETWORKS, *networks))


def day_window(*, now: datetime, zone: ZoneInfo) -> MeterPeriod:
    """Today in the publication's zone, as a meter period the stores understand."""
    local = now.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    tomorrow = start.date() + timedelta(days=1)
    end = datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=zone)
    return MeterPeriod(key=f"d{start:%Y-%m-%d}", starts_at=start.astimezone(UTC), ends_at=end.astimezone(UTC))


def group_reader_key(group: Network) -> str:
    # A keyed hash: the store never holds a reader's address in clear.
    digest = salted_hmac(_KEY_SALT, group.with_prefixlen, algorithm="sha256").hexdigest()[:40]
    return f"n:{digest}"


def exempt_networks(config: PaywallConfig) -> tuple[Network, ...]:
    crawlers = getattr(settings, "MASTHEAD_VERIFIED_CRAWLER_NETWORKS", ())
    return parse_networks([*crawlers, *config.new_reader_exempt_networks])


def admit_new_reader(*, request: HttpRequest, config: PaywallConfig, now: datetime) -> bool:
    """Count one new anonymous reader for the request's address; False once today's cap is used.

    Raises `MeterStoreUnavailable` when the store cannot be reached (callers fail closed).
    """
    cap = config.new_readers_per_address
    if cap <= 0:
        return True
    group = address_group(request.META.get("REMOTE_ADDR", ""))
    if group is None or is_exempt(group, exempt_networks(config)):
        return True
    outcome = meter_store().record_read(
        reader_key=group_reader_key(group),
        period=day_window(now=now, zone=config.zone),
        article_id=secrets.randbits(_MEMBER_BITS) + 1,
        limit=cap,
        now=now,
    )
    return outcome.accepted
