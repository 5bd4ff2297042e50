"""Editors preview an article as each kind of reader from the Wagtail admin; readers cannot."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from masthead.access.models import MeterRead
from tests.builders import canary_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(db: Any) -> Any:
    return get_user_model().objects.create_superuser("editor@example.com", "a long passphrase 42")


def preview(article: Any, mode: str, user: Any) -> str:
    """What Wagtail's preview panel shows this user: the preview request carries their session."""
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    original = RequestFactory().get("/admin/", HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}")
    response = article.make_preview_request(original_request=original, preview_mode=mode)
    assert response.status_code == 200
    return response.content.decode()


def state_of(html: str) -> tuple[str | None, str | None]:
    state = re.search(r'data-paywall-state="([^"]+)"', html)
    remaining = re.search(r'data-remaining="([^"]*)"', html)
    return (state.group(1) if state else None, remaining.group(1) if remaining else None)


@pytest.mark.parametrize(
    ("mode", "full", "state"),
    [
        ("", True, (None, None)),
        ("anonymous", True, ("metered-remaining", "2")),
        ("anonymous-last", True, ("metered-last", "0")),
        ("anonymous-wall", False, ("registration-wall", None)),
        ("registered", True, ("metered-remaining", "4")),
        ("registered-wall", False, ("offer", None)),
        ("subscriber", True, (None, None)),
        ("trialist", True, (None, None)),
        ("expired-trial", False, ("trial-expired", None)),
        ("lapsed-subscriber", False, ("access-expired", None)),
    ],
)
def test_editor_previews_a_metered_article_as_each_reader(
    metered: list[Any], editor: Any, mode: str, full: bool, state: tuple[str | None, str | None]
) -> None:
    article = metered[0]
    html = preview(article, mode, editor)
    assert (canary_for(article.slug) in html) is full
    assert state_of(html) == state
    assert not MeterRead.objects.exists()  # a preview never spends anyone's meter


def test_every_reader_kind_is_offered_in_the_preview_menu(metered: list[Any]) -> None:
    modes = {mode for mode, _label in metered[0].preview_modes}
    assert {
        "anonymous",
        "registered",
        "subscriber",
        "trialist",
        "expired-trial",
        "lapsed-subscriber",
    } <= modes


def test_a_preview_mode_is_ignored_for_a_non_staff_request(metered: list[Any], reader: Any) -> None:
    # Even if a reader's request were flagged as a preview, the paywall treats them as themselves.
    html = preview(metered[0], "subscriber", reader)
    assert state_of(html) == ("metered-remaining", "4")


def header_of(html: str) -> str:
    match = re.search(r'<header class="masthead[^"]*".*?</header>', html, re.S)
    assert match, "the page has no masthead header"
    return match.group(0)


@pytest.mark.parametrize(
    ("mode", "signed_in", "subscribe"),
    [
        ("", True, False),  # the editor's own view: staff are entitled
        ("anonymous", False, True),
        ("anonymous-wall", False, True),
        ("registered", True, True),
        ("subscriber", True, False),
        ("trialist", True, False),
        ("lapsed-subscriber", True, True),
    ],
)
def test_the_previewed_page_has_the_header_that_reader_would_see(
    metered: list[Any], editor: Any, mode: str, signed_in: bool, subscribe: bool
) -> None:
    # Twice: the header is kept per worker, and one reader kind's copy must not answer the other.
    for _ in range(2):
        header = header_of(preview(metered[0], mode, editor))

        assert ("Your account" in header) is signed_in
        assert ("Log in" in header) is not signed_in
        assert ("masthead__subscribe" in header) is subscribe
