"""Wagtail's password-protected pages go through the sign-in gate: 10 wrong tries from an address
in 15 minutes, then that address is refused without the password being checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from tests.builders import canary_for, make_article, make_publication

PAGE_PASSWORD = "harbour-board-minutes"
GUESSER = "198.51.100.23"
READER = "198.51.100.99"


@pytest.fixture
def protected(db: Any) -> Any:
    article = make_article(make_publication(), access="free")
    restriction = PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    return article, f"/_util/authenticate_with_password/{restriction.pk}/{article.pk}/"


def guess(client: Client, door: str, password: str, address: str, return_url: str) -> Any:
    return client.post(door, {"password": password, "return_url": return_url}, REMOTE_ADDR=address)


def test_the_eleventh_guess_from_an_address_is_refused_unchecked(protected: Any) -> None:
    article, door = protected
    guesser = Client()
    answers = [guess(guesser, door, f"guess-{i}", GUESSER, article.url).status_code for i in range(11)]

    assert answers == [200] * 10 + [429]
    page = guess(guesser, door, "guess-12", GUESSER, article.url).content.decode()
    assert "Too many wrong page passwords" in page and 'class="masthead' in page
    # The right password from the same address is not even checked while the pause lasts.
    refused = guess(guesser, door, PAGE_PASSWORD, GUESSER, article.url)
    assert refused.status_code == 429 and "Retry-After" in refused
    assert canary_for(article.slug) not in guesser.get(article.url, REMOTE_ADDR=GUESSER).content.decode()


def test_a_reader_elsewhere_still_opens_the_page_with_the_password(protected: Any) -> None:
    article, door = protected
    for i in range(10):
        guess(Client(), door, f"guess-{i}", GUESSER, article.url)

    reader = Client()
    opened = guess(reader, door, PAGE_PASSWORD, READER, article.url)

    assert opened.status_code == 302
    page = reader.get(article.url, REMOTE_ADDR=READER).content.decode()
    assert canary_for(article.slug) in page


def test_a_right_password_gives_its_try_back(protected: Any) -> None:
    article, door = protected
    reader = Client()
    for _ in range(15):
        assert guess(reader, door, PAGE_PASSWORD, READER, article.url).status_code == 302
