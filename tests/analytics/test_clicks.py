"""A prompt or offer click is a click on the wall's own links, not on the header's Register or
Subscribe button, which every reader sees whether or not they met the wall."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from masthead.analytics.models import Event, Kind
from tests.access.conftest import set_meter
from tests.analytics.conftest import BROWSER
from tests.builders import make_article, make_reader

pytestmark = pytest.mark.django_db


def href(page: str, css_class: str) -> str:
    found = re.search(rf'class="{css_class}" href="([^"]+)"', page)
    assert found, f"no link with class {css_class}"
    return html.unescape(found.group(1))


def follow(client: Client, url: str, *, from_page: str) -> None:
    """A click: the browser asks for the link's page, naming the page it was on."""
    assert client.get(url, HTTP_REFERER=f"http://testserver{from_page}").status_code == 200


def clicks() -> list[tuple[str, int | None]]:
    kinds = (Kind.PROMPT_CLICK, Kind.OFFER_CLICK)
    return list(Event.objects.filter(kind__in=kinds).order_by("id").values_list("kind", "article_id"))


def test_the_registration_walls_link_is_a_prompt_click_and_the_headers_register_is_not(pub: Any) -> None:
    set_meter(pub, anonymous_limit=1)
    free, article = make_article(pub), make_article(pub)
    reader = Client(HTTP_USER_AGENT=BROWSER)
    assert reader.get(free.url).status_code == 200  # the one free article
    wall = reader.get(article.url).content.decode()
    assert 'data-paywall-state="registration-wall"' in wall
    header_register = re.search(r'<li><a href="(/accounts/signup/[^"]*)">Register</a></li>', wall)
    assert header_register, "the header's Register link"
    follow(reader, html.unescape(header_register.group(1)), from_page=article.url)
    assert clicks() == []
    follow(reader, href(wall, "paywall__button"), from_page=article.url)
    assert clicks() == [(Kind.PROMPT_CLICK, article.pk)]


def test_the_offer_walls_links_are_offer_clicks_and_the_headers_subscribe_is_not(
    pub: Any, plans: dict[str, Any]
) -> None:
    set_meter(pub, registered_limit=0)
    article = make_article(pub)
    reader = Client(HTTP_USER_AGENT=BROWSER)
    reader.force_login(make_reader("reader@example.com", "a long passphrase 42"))
    wall = reader.get(article.url).content.decode()
    assert 'data-paywall-state="offer"' in wall and "3 months for $9" in wall
    follow(reader, href(wall, "masthead__subscribe"), from_page=article.url)
    assert clicks() == []
    follow(reader, href(wall, "paywall__button"), from_page=article.url)  # "Take this offer"
    follow(reader, href(wall, "paywall__link"), from_page=article.url)  # "See all offers"
    assert clicks() == [(Kind.OFFER_CLICK, article.pk), (Kind.OFFER_CLICK, article.pk)]


def test_a_wall_link_copied_and_opened_elsewhere_is_not_a_click(pub: Any) -> None:
    reader = Client(HTTP_USER_AGENT=BROWSER)
    assert reader.get("/subscribe/?from=wall").status_code == 200  # no Referer: typed or pasted
    follow(reader, "/subscribe/?from=wall", from_page="/subscribe/")  # a reload of the same page
    assert clicks() == []
