"""The footer's language switcher: a plain form that works without JavaScript and keeps pages shareable."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client

from tests.i18n.pages import html_of, page_language

pytestmark = pytest.mark.django_db


def switcher(html: str):
    return BeautifulSoup(html, "html.parser").select_one("footer form.language-switcher")


def test_footer_offers_both_languages_with_a_label_and_a_button(pub):
    form = switcher(html_of(Client().get("/")))

    assert form["method"] == "post" and form["action"] == "/i18n/setlang/"
    select = form.find("select", attrs={"name": "language"})
    assert form.find("label", attrs={"for": select["id"]}).get_text(strip=True) == "Language"
    options = {option["value"]: option.get_text() for option in select.find_all("option")}
    assert options == {"en": "English", "ja": "日本語"}
    assert select.find("option", selected=True)["value"] == "en"
    assert form.find("button", type="submit").get_text(strip=True) == "Change language"


def test_choosing_japanese_takes_the_reader_back_to_the_page_in_japanese(pub):
    reader = Client()

    response = reader.post("/i18n/setlang/", {"language": "ja"}, HTTP_REFERER="http://testserver/politics/")

    assert response.status_code == 302 and response["Location"] == "http://testserver/ja/politics/"
    assert reader.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"
    html = html_of(reader.get("/ja/politics/"))
    assert page_language(html) == "ja"
    assert switcher(html).find("option", selected=True)["value"] == "ja"
    # The choice is remembered: a plain link the reader follows later leads to its Japanese version.
    later = reader.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert later.status_code == 302 and later["Location"] == "/ja/"
    # And back, from the Japanese page: the choice beats the browser's Accept-Language.
    back = reader.post("/i18n/setlang/", {"language": "en"}, HTTP_REFERER="http://testserver/ja/politics/")
    assert back["Location"] == "http://testserver/politics/"
    assert page_language(html_of(reader.get("/", HTTP_ACCEPT_LANGUAGE="ja"))) == "en"


def test_an_unknown_language_changes_nothing(pub):
    reader = Client()

    reader.post("/i18n/setlang/", {"language": "xx"})

    assert settings.LANGUAGE_COOKIE_NAME not in reader.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_a_post_from_another_site_cannot_switch_a_readers_language(pub, headers):
    reader = Client()

    response = reader.post("/i18n/setlang/", {"language": "ja"}, **headers)

    assert response.status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in reader.cookies


def test_a_post_from_our_own_page_is_accepted(pub):
    reader = Client()

    response = reader.post(
        "/i18n/setlang/",
        {"language": "ja"},
        HTTP_ORIGIN="http://testserver",
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    assert response.status_code == 302
    assert reader.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ja"


def test_the_switcher_needs_no_token_so_public_pages_stay_shareable(pub, settings):
    # A CSRF token in every footer would set a cookie on every response and no page could be kept.
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60
    reader = Client()

    first = reader.get("/politics/")
    second = reader.get("/politics/")

    assert switcher(html_of(first)) is not None
    assert not first.cookies
    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
