"""Messages show where the action happened — on the page the reader lands on — once, and never
in a page kept for other readers. Messages that tell the reader nothing new are not sent."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.contrib import messages
from django.core import mail
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import path

from masthead.core.page_cache import mark_public
from tests.builders import make_reader
from tests.pages.conftest import PASSWORD


def flash(response) -> list[str]:
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    region = soup.select(".flash")
    assert len(region) <= 1
    if not region:
        return []
    assert region[0]["role"] == "status"
    assert region[0].find_parent("main") is not None  # in the page, after the skip link's target
    return [p.get_text(strip=True) for p in region[0].select(".flash__message")]


def test_logging_in_from_an_article_returns_to_it_with_no_leftover_message(pub):
    article = pub.articles[0]
    make_reader("reader@example.com", PASSWORD)
    client = Client()
    client.get(article.url)
    back = client.post(
        f"/accounts/login/?next={article.url}",
        {"login": "reader@example.com", "password": PASSWORD},
        follow=True,
    )
    assert back.redirect_chain[-1][0] == article.url
    # The header now names the account: "Successfully signed in as …" would add nothing.
    assert flash(back) == []
    assert "Successfully signed in" not in back.content.decode()
    for later in ("/", "/subscribe/", "/account/"):
        assert flash(client.get(later)) == [], later


def test_logging_out_says_so_on_the_page_the_reader_returns_to_and_only_there(pub):
    article = pub.articles[0]
    client = Client()
    client.force_login(make_reader("reader@example.com", PASSWORD))
    back = client.post("/accounts/logout/", {"next": article.url}, follow=True)
    assert back.redirect_chain[-1][0] == article.url
    assert flash(back) == ["You are logged out."]
    assert flash(client.get("/")) == []
    assert flash(client.get(article.url)) == []


def test_logging_out_in_japanese(pub):
    client = Client(headers={"accept-language": "ja"})
    client.force_login(make_reader("reader@example.com", PASSWORD))
    assert flash(client.post("/accounts/logout/", follow=True)) == ["ログアウトしました。"]


def test_signing_up_from_an_article_then_confirming_says_so_once_and_never_later_on_subscribe(pub):
    article = pub.articles[0]
    client = Client()
    client.get(article.url)
    check = client.post(
        f"/accounts/signup/?next={article.url}",
        {"email": "new@example.com", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )
    # The page itself says to check the e-mail: no second "Confirmation e-mail sent to …".
    assert "Check your e-mail" in check.content.decode()
    assert flash(check) == []
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    landed = client.post(link, follow=True)
    # Back on the story the reader signed up from, told once that the address is confirmed.
    assert landed.redirect_chain[-1][0] == article.url
    assert flash(landed) == ["Your e-mail address new@example.com is confirmed."]
    for later in ("/subscribe/", "/", article.url):
        assert flash(client.get(later)) == [], later


@pytest.fixture
def page_cache_on(settings):
    settings.MASTHEAD_PAGE_CACHE_SECONDS = 60


def test_a_message_is_never_kept_in_the_page_cache(pub, page_cache_on):
    reader = Client()
    reader.force_login(make_reader("reader@example.com", PASSWORD))
    # Logged out, the browser is anonymous again, and carries the message to the front page.
    reader.post("/accounts/logout/", {"next": "/"})
    front = reader.get("/")
    assert flash(front) == ["You are logged out."]
    assert front.get("X-Page-Cache") is None and "public" not in front.get("Cache-Control", "")

    for _ in range(2):
        someone_else = Client().get("/")
        assert flash(someone_else) == [] and someone_else["X-Page-Cache"] in ("miss", "hit")
    assert Client().get("/")["X-Page-Cache"] == "hit"
    # The reader's own next front page is the kept one: the message was shown once.
    assert flash(reader.get("/")) == []


def _says_hello(request: HttpRequest):
    # A public page that adds a message and shows it in the same request (no cookie yet).
    messages.info(request, "Only for the reader who did this.")
    return mark_public(request, TemplateResponse(request, "base.html", {}))


# The site's own patterns beside it (i18n_patterns may not be include()d: Django refuses).
urlpatterns = [path("hello/", _says_hello), *import_module("config.urls").urlpatterns]


def test_a_message_added_and_shown_in_one_request_is_not_kept_either(pub, page_cache_on, settings):
    settings.ROOT_URLCONF = __name__
    first = Client().get("/hello/")
    assert flash(first) == ["Only for the reader who did this."]
    assert first.get("X-Page-Cache") is None
    second = Client().get("/hello/")
    assert second.get("X-Page-Cache") is None  # nothing was kept to serve


def test_the_headers_log_in_and_log_out_links_bring_the_reader_back_to_the_story(pub):
    """Through the header's own links, as a reader clicks them: log in from a story, back on the
    story with nothing to read about it; log out from it, back on it, told once."""
    article = pub.articles[0]
    make_reader("reader@example.com", PASSWORD)
    client = Client()
    story = BeautifulSoup(client.get(article.url).content, "html.parser")
    login_href = story.select_one(".masthead__account-link")["href"]
    assert login_href == f"/accounts/login/?next={article.url}"
    login_page = BeautifulSoup(client.get(login_href).content, "html.parser")
    form = login_page.select_one("main form")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    fields.update(login="reader@example.com", password=PASSWORD)
    back = client.post(form.get("action") or login_href, fields, follow=True)
    assert back.redirect_chain[-1][0] == article.url and flash(back) == []

    menu = BeautifulSoup(back.content, "html.parser").select(".menu__list--account a")
    logout_href = next(a["href"] for a in menu if a.get_text(strip=True) == "Log out")
    confirm = BeautifulSoup(client.get(logout_href).content, "html.parser")
    form = next(f for f in confirm.select("main form") if "logout" in (f.get("action") or logout_href))
    fields = {i["name"]: i.get("value", "") for i in form.select("input[name]")}
    out = client.post(form.get("action") or logout_href, fields, follow=True)
    assert out.redirect_chain[-1][0] == article.url
    assert flash(out) == ["You are logged out."]


def test_changing_the_password_says_why_the_reader_is_asked_to_log_in_again(pub):
    client = Client()
    client.force_login(make_reader("reader@example.com", PASSWORD))
    new_password = "a different long passphrase 73"
    landed = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
        follow=True,
    )

    assert landed.redirect_chain[-1][0].startswith("/accounts/login/")
    shown = flash(landed)
    assert any(m.startswith("Your password is changed.") and "log in again" in m for m in shown), shown
    assert flash(client.get("/")) == []
    assert client.login(email="reader@example.com", password=new_password)
