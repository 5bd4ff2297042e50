"""A page behind a Wagtail page password asks for it in the publication's layout, in the reader's
language, and shows nothing of the page: not its title, not its share card, not its text."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import translation
from wagtail.models import PageViewRestriction

from tests.builders import canary_for, make_article, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected(db: Any) -> Any:
    article = make_article(make_publication(), access="free", title="Harbour board minutes leaked")
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="harbour-board-minutes"
    )
    return article


def test_the_password_form_is_in_the_site_layout_and_hides_the_page(protected: Any) -> None:
    response = Client().get(protected.url)

    html = response.content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".masthead") is not None
    assert soup.select_one("main h1").get_text(strip=True) == "Password required"
    assert soup.select_one('main form input[type="password"]') is not None
    assert "Harbour board minutes leaked" not in html
    assert canary_for(protected.slug) not in html
    assert not soup.select('meta[property^="og:"]')


def test_the_password_form_speaks_japanese(protected: Any) -> None:
    with translation.override("ja"):
        url = protected.get_url()  # /ja/… where public pages have a Japanese address
    response = Client(HTTP_ACCEPT_LANGUAGE="ja").get(url)

    soup = BeautifulSoup(response.content.decode(), "html.parser")
    assert soup.select_one("main h1").get_text(strip=True) == "パスワードが必要です。"
    assert soup.select_one("main button").get_text(strip=True) == "続ける"
