"""Readers who sign in with the right password are not counted: many readers behind one address
(an office, a mobile network's NAT) all sign in, while failures from it are still counted.

The test settings turn allauth's own rate limits off; these tests put back the production ones."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from config.settings import base
from masthead.accounts import signin_gate
from masthead.accounts.models import SignInCount
from tests.signin.conftest import PASSWORD, PASSWORD_DOORS, allauth_login, make_account

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.80"
PER_ADDRESS = 20  # MASTHEAD_SIGNIN_LIMITS["signin"]["per_address"]


@pytest.fixture
def production_limits() -> Any:
    with override_settings(ACCOUNT_RATE_LIMITS=base.ACCOUNT_RATE_LIMITS):
        yield


def address_count() -> int:
    subject = signin_gate.address_subject(signin_gate.FAILED_SIGN_IN, OFFICE)
    return SignInCount.objects.filter(subject=subject).values_list("count", flat=True).first() or 0


def test_forty_readers_behind_one_address_all_sign_in_within_a_minute(production_limits: Any) -> None:
    # More than allauth's default 30 sign-ins a minute per address, more than the gate's 20.
    readers = [make_account(f"colleague{i}@example.com").email for i in range(40)]

    seen = [allauth_login(Client(REMOTE_ADDR=OFFICE), email, PASSWORD).seen for email in readers]

    assert seen == ["signed-in"] * 40
    assert address_count() == 0


def test_one_account_signing_in_again_and_again_at_every_door_is_never_refused(
    production_limits: Any,
) -> None:
    make_account("editor@example.com", staff=True)  # staff, so the newsroom's doors open too
    doors = list(PASSWORD_DOORS.values())

    seen = {doors[i % len(doors)](Client(REMOTE_ADDR=OFFICE), "editor@example.com", PASSWORD).seen
            for i in range(35)}  # fmt: skip

    assert seen == {"signed-in"}
    assert address_count() == 0


def test_failures_from_that_address_are_still_counted_between_the_successes(production_limits: Any) -> None:
    colleagues = [make_account(f"colleague{i}@example.com").email for i in range(PER_ADDRESS)]

    for i, email in enumerate(colleagues):
        assert allauth_login(Client(REMOTE_ADDR=OFFICE), email, PASSWORD).seen == "signed-in"
        assert allauth_login(Client(REMOTE_ADDR=OFFICE), f"guess{i}@example.com", "guess").seen == "wrong"

    assert address_count() == PER_ADDRESS
    # The address's allowance of failures is used up: the next try is refused, right password or not.
    assert allauth_login(Client(REMOTE_ADDR=OFFICE), colleagues[0], PASSWORD).seen == "refused"
