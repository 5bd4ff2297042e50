"""The sign-in gate and the newsroom's reports as people meet them, in Chromium: a reader who keeps
getting the password wrong, a reader trying the newsroom's door, and an editor checking that the
scheduled work runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.builders import make_publication

pytestmark = pytest.mark.e2e

PASSWORD = "the right and long passphrase"


def account(email: str, *, staff: bool = False) -> Any:
    users = get_user_model().objects
    make = users.create_superuser if staff else users.create_user
    user = make(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@pytest.fixture
def site(live_server: Any, wagtail_roots: None) -> str:
    make_publication()
    return str(live_server.url)


def test_five_wrong_passwords_pause_sign_in_even_with_the_right_one(
    site: str, open_page: Any, screenshots: Path
) -> None:
    account("forgetful@example.com")
    page = open_page(width=375)
    for attempt in range(5):
        page.goto(site + "/accounts/login/")
        page.fill("input[name=login]", "forgetful@example.com")
        page.fill("input[name=password]", f"wrong guess {attempt}")
        page.locator("main form [type=submit]").first.click()
        assert "Sign-in paused" not in page.content()

    page.goto(site + "/accounts/login/")
    page.fill("input[name=login]", "forgetful@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form [type=submit]").first.click()

    assert page.locator("h1").inner_text() == "Sign-in paused"
    assert page.get_by_role("link", name="reset your password").count() == 1
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
    page.screenshot(path=str(screenshots / "signin-paused-375.png"), full_page=True)


def test_a_reader_at_the_newsroom_door_gets_no_session(site: str, open_page: Any, screenshots: Path) -> None:
    account("reader@example.com")
    page = open_page()
    page.goto(site + "/admin/login/")
    page.fill("input[name=username]", "reader@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").first.click()

    # The same answer as a wrong password: the newsroom door does not confirm a reader's password.
    error = page.locator(".messages li.error")
    error.wait_for()
    page.wait_for_timeout(800)  # Wagtail slides its messages in
    assert "didn't match" in error.inner_text()
    assert "/admin/login/" in page.url
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
    page.screenshot(path=str(screenshots / "newsroom-login-refused.png"), full_page=True)
    page.goto(site + "/account/")
    assert "/accounts/login/" in page.url  # not signed in to the site either


def test_an_editor_sees_when_scheduled_work_last_ran(site: str, open_page: Any, screenshots: Path) -> None:
    from django.core.management import call_command

    call_command("run_newsroom", "--once")
    account("editor@example.com", staff=True)
    page = open_page()
    page.goto(site + "/admin/login/")
    page.fill("input[name=username]", "editor@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form [type=submit]").first.click()
    page.wait_for_url("**/admin/")
    page.goto(site + "/admin/reports/scheduled-work/")

    text = page.content()
    assert "Scheduled publishing" in text and "publish_scheduled" in text
    # The report says when "now" is, so "a second ago" can be read against the server's clock.
    assert re.search(r"Times are this server.s, \d{1,2} \w{3} \d{4}", text)
    page.screenshot(path=str(screenshots / "scheduled-work-report.png"), full_page=True)
