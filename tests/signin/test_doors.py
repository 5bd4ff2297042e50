"""Every door that checks a password counts in one gate: 5 wrong passwords for an account are
checked, the 6th try is refused, and then the right password is refused at every door."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.signin.conftest import PASSWORD, PASSWORD_DOORS, Outcome, make_account

pytestmark = pytest.mark.django_db

LIMIT = 5  # MASTHEAD_SIGNIN_LIMITS["signin"]["per_account"], as documented in the README


def assert_refused_page(outcome: Outcome) -> None:
    response = outcome.response
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    if response["Content-Type"].startswith("application/json"):
        assert response.json()["code"] == "rate_limited" and response.json()["message"]
        return
    page = response.content.decode()
    # The site's own page (its base template), not a stock or blank one.
    assert 'data-signin-refused="signin"' in page
    assert "Sign-in paused" in page and 'class="page page--error"' in page
    assert "/accounts/password/reset/" in page


@pytest.mark.parametrize("door_name", list(PASSWORD_DOORS))
def test_the_right_password_signs_in_at_each_door(editor: Any, door_name: str) -> None:
    # The control for the tests below: with nothing locked, each door lets the editor in.
    outcome = PASSWORD_DOORS[door_name](Client(), "editor@example.com", PASSWORD)

    assert outcome.seen == "signed-in", outcome.response.status_code


@pytest.mark.parametrize("door_name", list(PASSWORD_DOORS))
def test_the_sixth_try_is_refused_and_the_account_is_locked_at_every_door(
    editor: Any, door_name: str
) -> None:
    door = PASSWORD_DOORS[door_name]

    # given five wrong passwords at this door, each checked and answered as wrong
    seen = [door(Client(), "editor@example.com", f"guess {i}").seen for i in range(LIMIT)]
    assert seen == ["wrong"] * LIMIT

    # when a sixth try comes, even with the right password, it is refused unchecked
    sixth = door(Client(), "editor@example.com", "guess 6")
    assert sixth.seen == "refused"
    assert_refused_page(sixth)

    # then the right password opens no door at all, and no session is signed in
    for name, other in PASSWORD_DOORS.items():
        client = Client()
        outcome = other(client, "Editor@Example.com", PASSWORD)
        assert outcome.seen == "refused", name
        assert_refused_page(outcome)
        assert SESSION_KEY not in client.session, name


def test_failures_at_different_doors_add_up_to_one_count(editor: Any) -> None:
    doors = list(PASSWORD_DOORS.values())

    # one wrong password at each of the five doors
    seen = [door(Client(), "editor@example.com", "wrong").seen for door in doors[:LIMIT]]

    assert seen == ["wrong"] * LIMIT
    api = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    assert api(Client(), "editor@example.com", PASSWORD).seen == "refused"


def test_the_account_key_ignores_case_and_spaces(editor: Any) -> None:
    spellings = ["editor@example.com", "Editor@Example.com", "EDITOR@EXAMPLE.COM", " editor@example.com"]
    api = PASSWORD_DOORS["API POST /api/v1/auth/token"]
    web = PASSWORD_DOORS["allauth /accounts/login/"]

    seen = [web(Client(), spellings[i % 4], "wrong").seen for i in range(LIMIT)]

    assert seen == ["wrong"] * LIMIT
    assert api(Client(), "EDITOR@example.com", PASSWORD).seen == "refused"


def test_the_lock_ends_when_the_window_is_over(editor: Any) -> None:
    door = PASSWORD_DOORS["allauth /accounts/login/"]
    with time_machine.travel("2026-03-02 09:00:00Z", tick=False) as clock:
        for i in range(LIMIT):
            door(Client(), "editor@example.com", f"guess {i}")
        clock.shift(timedelta(minutes=14, seconds=59))
        refused = door(Client(), "editor@example.com", PASSWORD)
        assert refused.seen == "refused"
        # The window started with the first failure: one second is left of the 15 minutes.
        assert int(refused.response["Retry-After"]) == 1

        clock.shift(timedelta(seconds=1))
        assert door(Client(), "editor@example.com", PASSWORD).seen == "signed-in"


def test_a_right_password_gives_its_try_back(editor: Any) -> None:
    door = PASSWORD_DOORS["API POST /api/v1/auth/token"]

    for _round in range(3):
        assert door(Client(), "editor@example.com", "wrong").seen == "wrong"
        assert door(Client(), "editor@example.com", PASSWORD).seen == "signed-in"

    # Three failures so far: two more are checked, then the gate closes.
    seen = [door(Client(), "editor@example.com", "wrong").seen for _ in range(3)]
    assert seen == ["wrong", "wrong", "refused"]


def test_a_lock_on_one_account_leaves_another_alone(editor: Any, reader: Any) -> None:
    door = PASSWORD_DOORS["allauth /accounts/login/"]
    for i in range(LIMIT + 1):
        door(Client(), "editor@example.com", f"guess {i}")

    assert door(Client(), "reader@example.com", PASSWORD).seen == "signed-in"


def test_an_unknown_address_is_counted_like_an_account(db: Any) -> None:
    # The same answers for an address with no account: the gate does not reveal which exist.
    door = PASSWORD_DOORS["allauth /accounts/login/"]
    seen = [door(Client(), "nobody@example.com", "guess").seen for _ in range(LIMIT + 1)]

    assert seen == ["wrong"] * LIMIT + ["refused"]
    make_account("nobody@example.com")
    assert door(Client(), "nobody@example.com", PASSWORD).seen == "refused"
