"""The gate counts per client address as well as per account: one address spraying guesses over
many accounts is stopped after 20 failures, whatever the doors and accounts."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.signin.conftest import PASSWORD, PASSWORD_DOORS, make_account

pytestmark = pytest.mark.django_db

PER_ADDRESS = 20  # MASTHEAD_SIGNIN_LIMITS["signin"]["per_address"]


def test_one_address_is_stopped_after_twenty_failures_over_many_accounts(reader: Any) -> None:
    doors = list(PASSWORD_DOORS.values())
    attacker = {"REMOTE_ADDR": "203.0.113.50"}

    # 4 wrong passwords for each of 5 accounts: no account reaches its own limit of 5.
    seen = []
    for i in range(PER_ADDRESS):
        account = f"target{i % 5}@example.com"
        seen.append(doors[i % len(doors)](Client(**attacker), account, "guess").seen)
    assert seen == ["wrong"] * PER_ADDRESS

    # The 21st try from that address is refused, even for an account with no failures at all.
    assert doors[0](Client(**attacker), "reader@example.com", PASSWORD).seen == "refused"
    # The same account from another address signs in: the address is locked, not the account.
    assert doors[0](Client(REMOTE_ADDR="198.51.100.9"), "reader@example.com", PASSWORD).seen == "signed-in"


def test_an_ipv6_client_is_counted_by_its_64_network(db: Any) -> None:
    make_account("reader@example.com")
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]

    # Each guess from a new address inside one /64 network.
    seen = [
        door(Client(REMOTE_ADDR=f"2001:db8:1:2::{i:x}"), f"t{i % 5}@example.com", "guess").seen
        for i in range(PER_ADDRESS)
    ]

    assert seen == ["wrong"] * PER_ADDRESS
    assert door(Client(REMOTE_ADDR="2001:db8:1:2:ffff::1"), "reader@example.com", PASSWORD).seen == "refused"
    assert door(Client(REMOTE_ADDR="2001:db8:1:3::1"), "reader@example.com", PASSWORD).seen == "signed-in"


def test_a_refused_account_does_not_spend_the_address(reader: Any) -> None:
    door = PASSWORD_DOORS["allauth /accounts/login/"]
    client = {"REMOTE_ADDR": "203.0.113.60"}
    for _ in range(5):
        door(Client(**client), "reader@example.com", "guess")

    # 30 more tries on the locked account are refused without counting against the address...
    assert {door(Client(**client), "reader@example.com", "guess").seen for _ in range(30)} == {"refused"}
    # ...so the address still has 15 of its 20 failures for other accounts.
    seen = [door(Client(**client), f"other{i}@example.com", "guess").seen for i in range(16)]
    assert seen == ["wrong"] * 15 + ["refused"]
